"""Passwords (argon2id via ``argon2.PasswordHasher``) and signed, expiring tokens (PyJWT,
HS256). The same token is the API's bearer token and the web pages' session cookie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.store import ServiceStore, User

_HASHER = PasswordHasher()
ALGORITHM = "HS256"
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(store: ServiceStore, username: str, password: str) -> User | None:
    """The user when the password matches and the account is enabled, else None."""
    user = store.get_user(username)
    if user is None:
        _HASHER.hash(password)  # same cost whether or not the user exists
        return None
    if user.disabled or not verify_password(user.password_hash, password):
        return None
    if _HASHER.check_needs_rehash(user.password_hash):
        store.set_password(username, hash_password(password))
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
