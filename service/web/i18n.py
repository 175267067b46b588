"""Page language (ngôn ngữ trang): Vietnamese by default; ``?lang=en`` switches to English
and a cookie keeps the choice."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

LANGS = ("vi", "en")
COOKIE = "kehoach_lang"


def page_lang(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    kept = request.cookies.get(COOKIE)
    return kept if kept in LANGS else "vi"


def translator(lang: str) -> Callable[[str, str], str]:
    """``t(vi, en)`` picks the text of the page language."""

    def t(vi: str, en: str) -> str:
        return en if lang == "en" else vi

    return t
