"""Passwords (argon2id via ``argon2.PasswordHasher``), log-in with throttling, and signed,
expiring tokens (PyJWT, HS256). The same token is the API's bearer token and the web pages'
session cookie.

Every log-in attempt that is let through costs exactly one argon2 verification — against the
account's hash, or against a decoy hash with the same parameters when the account is unknown —
whether the account exists, is disabled or the password is wrong, so the answer's timing tells
nothing. Failed log-ins are counted per account and per client address in the service tables
(shared by every worker process); past the limit the answer is 429 ``too_many_attempts`` with
``Retry-After``, even for the right password.
"""

from __future__ import annotations

import math
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.errors import ApiError, field_error
from service.settings import Settings
from service.store import ServiceStore, User

HASHER = PasswordHasher()
"""The hasher every password goes through (a seam: tests swap in a counting subclass)."""
ALGORITHM = "HS256"
MIN_PASSWORD = 8
MAX_USERNAME_KEY = 256  # longer typed names are counted under their first 256 characters


def _hasher(hasher: PasswordHasher | None) -> PasswordHasher:
    return hasher or HASHER


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    return _hasher(hasher).hash(password)


def verify_password(password_hash: str, password: str,
                    hasher: PasswordHasher | None = None) -> bool:
    try:
        return _hasher(hasher).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def decoy_hash(hasher: PasswordHasher | None = None) -> str:
    """A hash of a random password made with the hasher's parameters: what an unknown
    account's log-in is verified against, so it costs what a real check costs. Built once
    per hasher (the app's start-up builds it, so no request pays for it)."""
    return _decoy(_hasher(hasher))


@lru_cache(maxsize=4)
def _decoy(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(24))


def authenticate(store: ServiceStore, username: str, password: str,
                 hasher: PasswordHasher | None = None) -> User | None:
    """The user when the password matches and the account is enabled, else None. Exactly one
    argon2 verification on every path (unknown, disabled, wrong, right)."""
    user = store.get_user(username)
    matches = verify_password(user.password_hash if user else decoy_hash(hasher), password,
                              hasher)
    if user is None or user.disabled or not matches:
        return None
    if _hasher(hasher).check_needs_rehash(user.password_hash):
        store.set_password(username, hash_password(password, hasher))
    return user


def too_many_attempts(seconds: int) -> ApiError:
    vi = f"đăng nhập sai quá nhiều lần; hãy thử lại sau {seconds} giây"
    en = f"too many failed log-ins; try again in {seconds} s"
    return ApiError(429, "too_many_attempts", vi, en,
                    [field_error("username", "too_many_attempts", vi, en)],
                    headers={"Retry-After": str(seconds)})


def log_in(store: ServiceStore, settings: Settings, username: str, password: str,
           client: str | None) -> User | None:
    """``authenticate`` behind the failure counts: raises ``too_many_attempts`` (429) while
    the account or the client address is locked, without checking the password; a success
    clears the account's count."""
    key = username[:MAX_USERNAME_KEY]
    claim = store.claim_login(key, client, window_seconds=settings.login_window_seconds,
                              max_account=settings.login_max_failures,
                              max_address=settings.login_max_failures_per_address)
    if claim.attempt is None:
        raise too_many_attempts(max(1, math.ceil(claim.retry_after)))
    user = authenticate(store, username, password)
    if user is not None:
        store.login_succeeded(claim.attempt, key)
    return user


def issue_token(user: User, secret: str, minutes: int) -> tuple[str, int]:
    """A signed token for ``user`` and its lifetime in seconds."""
    now = datetime.now(UTC)
    claims = {"sub": user.username, "role": user.role, "iat": now,
              "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM), minutes * 60


def read_token(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired token, else None."""
    try:
        return jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
    except jwt.PyJWTError:
        return None
