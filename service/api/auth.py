"""Log-in (đăng nhập): OAuth2 password form → signed bearer token (throttled: 429
``too_many_attempts`` with ``Retry-After`` after repeated failures); who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from service.deps import CurrentUser, RuntimeDep
from service.errors import ApiError, field_error
from service.schemas import Token, UserPublic
from service.security import issue_token, log_in

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, summary="Đăng nhập, nhận token / log in",
             responses={401: {"description": "Sai thông tin / bad credentials "
                              "(`bad_credentials`)"},
                        429: {"description": "Đăng nhập sai quá nhiều lần, chờ `Retry-After` "
                              "giây / too many failed log-ins (`too_many_attempts`), wait "
                              "`Retry-After` seconds"}})
def token(request: Request, rt: RuntimeDep,
          form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    request.state.audit_target = form.username
    client = request.client.host if request.client else None
    user = log_in(rt.store, rt.settings, form.username, form.password, client)
    if user is None:
        raise ApiError(401, "bad_credentials", "sai tên đăng nhập hoặc mật khẩu, hoặc tài "
                       "khoản đã bị khóa", "wrong username or password, or account disabled",
                       [field_error("password", "bad_credentials", "sai thông tin đăng nhập",
                                    "wrong credentials")],
                       headers={"WWW-Authenticate": "Bearer"})
    request.state.user = user
    access, seconds = issue_token(user, rt.settings.secret_key, rt.settings.token_minutes)
    return Token(access_token=access, expires_in=seconds, role=user.role, agency=user.agency)


@router.get("/me", response_model=UserPublic, summary="Người dùng hiện tại / current user")
def me(user: CurrentUser) -> UserPublic:
    return UserPublic(**user.public())
