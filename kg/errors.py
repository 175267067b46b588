"""Errors of the kg package, and the base every kehoach error derives from.

Errors are objects translated at the edge (CLI exit codes, HTTP statuses): each carries a
stable ``code``, a Vietnamese and an English message, and where it happened (document or
file, line or row, field) plus the offending text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Place:
    """Where an error happened: a document/file, a line or row, a field."""

    document: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def describe_vi(self) -> str:
        return _describe(self, "tệp", "dòng", "hàng", "trường")

    def describe_en(self) -> str:
        return _describe(self, "file", "line", "row", "field")


def _describe(place: Place, doc: str, line: str, row: str, field: str) -> str:
    parts = []
    if place.document:
        parts.append(f"{doc} {place.document}")
    if place.line is not None:
        parts.append(f"{line} {place.line}")
    if place.row is not None:
        parts.append(f"{row} {place.row}")
    if place.field:
        parts.append(f"{field} '{place.field}'")
    return ", ".join(parts)


class KehoachError(Exception):
    """Base of every error kehoach raises on purpose.

    ``code`` is stable (used by API clients and tests); ``vi`` comes first in every message.
    """

    code = "kehoach_error"

    def __init__(
        self,
        vi: str,
        en: str,
        *,
        code: str | None = None,
        text: str | None = None,
        place: Place | None = None,
    ) -> None:
        self.vi = vi
        self.en = en
        if code:
            self.code = code
        self.text = text
        self.place = place or Place()
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where_vi, where_en = self.place.describe_vi(), self.place.describe_en()
        vi = f"{where_vi}: {self.vi}" if where_vi else self.vi
        en = f"{where_en}: {self.en}" if where_en else self.en
        return f"{vi} / {en}"

    def located(self, **where: Any) -> KehoachError:
        """Return the same error with its place filled in (document, line, row, field)."""
        merged = {**self.place.__dict__, **{k: v for k, v in where.items() if v is not None}}
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.place = Place(**merged)
        Exception.__init__(clone, clone.message)
        return clone

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "error_vi": self.vi,
            "error_en": self.en,
            "text": self.text,
            **{k: v for k, v in self.place.__dict__.items() if v is not None},
        }


class ParseError(KehoachError):
    """A value written the Vietnamese way (number, target, date, period, document number)
    could not be read."""

    code = "parse_error"


class LogError(KehoachError):
    """The fact log refused or could not complete a write or a read."""

    code = "log_error"


class VersionConflict(LogError):
    """A fact said which version it replaces and the log's latest is another: somebody else
    wrote in between (a compare-and-set refusal; nothing of the batch was written).
    ``current`` is the latest stored version (a ``StoredFact``), None when there is none."""

    code = "version_conflict"

    def __init__(self, kind: str, key: str, expected: int, current: Any) -> None:
        found = current.version if current is not None else 0
        super().__init__(
            f"{kind} '{key}' đã được sửa (phiên bản hiện tại {found}, yêu cầu sửa từ phiên bản "
            f"{expected}); hãy đọc lại rồi sửa",
            f"{kind} '{key}' was changed (current version {found}, the edit was made from "
            f"version {expected}); read it again and edit",
            text=f"{kind}:{key}")
        self.kind, self.key, self.expected, self.current = kind, key, expected, current


class DatasetError(KehoachError):
    """A dataset file (data/langson, an import template) is malformed."""

    code = "dataset_error"
