"""Service settings (cấu hình dịch vụ), read from the environment (``KEHOACH_*``).

Nothing is read at import: ``get_settings()`` builds them once (cached) and tests override it
by passing their own ``Settings`` to ``create_app`` or clearing the cache.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.log import chosen_jurisdiction, database_at, default_db_path, known_code


class Settings(BaseSettings):
    """Everything the API and the web pages need to run."""

    model_config = SettingsConfigDict(env_prefix="KEHOACH_", extra="ignore")

    db: Path | str = Field(default_factory=default_db_path, description="SQLite file, or "
                           "PostgreSQL URL (postgresql://…), of the fact log + service tables")
    secret_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32),
                            description="Signs bearer tokens and session cookies; set it, or "
                            "tokens die with the process")
    jurisdiction: str | None = Field(
        default_factory=chosen_jurisdiction, description="The jurisdiction (province, ministry, "
        "nation: lang-son, bo-tai-chinh) the service works on — its API, pages, rules and "
        "graph see only its facts; default the CLI's --jurisdiction, else the database's "
        "default jurisdiction")
    token_minutes: int = Field(default=120, ge=1, description="Token / session lifetime")
    as_of: date | None = Field(default=None, description="Evaluate rules as of this date "
                               "(default: today)")
    sse_queue_size: int = Field(default=100, ge=1, description="Events kept per slow listener")
    sse_keepalive_seconds: float = Field(default=15.0, gt=0)
    follow_seconds: float = Field(default=1.0, gt=0, description="While live-stream listeners "
                                  "are connected, how often the log is read for other "
                                  "processes' writes")
    max_batch: int = Field(default=500, ge=1, description="Rows per batch write")
    max_upload_bytes: int = Field(default=5_000_000, ge=1)
    max_json_bytes: int = Field(default=1_000_000, ge=1, description="Largest JSON/form body "
                                "accepted (a 500-row batch is ~250 KB)")
    sparql_seconds: float = Field(default=10.0, gt=0, le=600, description="Wall-clock limit "
                                  "of one ad-hoc SPARQL query (its process is killed after it)")
    sparql_per_user: int = Field(default=2, ge=1, description="Ad-hoc SPARQL queries one user "
                                 "may run at once, over all worker processes (429 beyond)")
    cookie_secure: bool | None = Field(default=None, description="Mark the session cookie "
                                       "`Secure` (sent over HTTPS only); unset: yes, unless "
                                       "the request's host is localhost / a loopback address")
    login_max_failures: int = Field(default=5, ge=1, description="Failed log-ins per account "
                                    "within the window before it is locked (429)")
    login_max_failures_per_address: int = Field(default=20, ge=1, description="Failed "
                                                "log-ins per client address within the window "
                                                "before it is locked (429)")
    login_window_seconds: int = Field(default=900, ge=1, description="Sliding window of the "
                                      "log-in failure counts")
    judge: Literal["inline", "external"] = Field(
        default="inline", description="inline: this service judges its own writes; external: "
        "one `kehoach judge` process judges, this worker appends, reads and forwards the "
        "judge's announcements to its live-stream clients (docs/deploy.md)")
    judge_wait_seconds: float = Field(default=10.0, gt=0, description="With an external "
                                      "judge, how long a write waits for the judge to have "
                                      "judged it before answering `judged: false`")
    freeze_gc: bool = Field(default=False, description="A server process: keep what it built "
                            "and holds (rules session, plan graph) out of the garbage "
                            "collector's automatic full collections (gc.freeze after start-up, "
                            "each write and each followed batch), with a full collection only "
                            "as CPU allows (service.heap); set by `kehoach serve`")

    @field_validator("db", mode="before")
    @classmethod
    def _database(cls, value: object) -> Path | str:
        """A ``postgresql://`` URL stays text (a Path would fold its ``//``); else a path."""
        return database_at(value) if isinstance(value, str | Path) else value  # type: ignore

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction_code(cls, value: str | None) -> str | None:
        return known_code(value, "KEHOACH_JURISDICTION") if value and value.strip() else None

    def evaluation_date(self) -> date:
        return self.as_of or date.today()


@lru_cache
def get_settings() -> Settings:
    return Settings()
