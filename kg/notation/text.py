"""One Unicode form for every text that enters kehoach (một dạng Unicode): NFC.

Vietnamese has two common encodings of the same letter — precomposed "ở" (NFC) and "o" +
horn + hook (NFD, what macOS file names and some keyboards produce). Compared byte by byte
they differ, so a search, a hash or a duplicate check would see two texts. Every boundary
(API bodies and query strings, CLI arguments, template cells, extracted documents, dataset
files) passes what it reads through ``nfc`` / ``nfc_all`` before matching, hashing or storing.
"""

from __future__ import annotations

import unicodedata
from typing import Any

FORM = "NFC"


def nfc(text: str) -> str:
    """``text`` in NFC (unchanged, and not copied, when it already is)."""
    if text.isascii() or unicodedata.is_normalized(FORM, text):
        return text
    return unicodedata.normalize(FORM, text)


def nfc_all(value: Any) -> Any:
    """Every string inside ``value`` (dict keys and values, list and tuple items) in NFC;
    anything else as it is."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, dict):
        return {nfc_all(k): nfc_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc_all(v) for v in value]
    if isinstance(value, tuple):
        return tuple(nfc_all(v) for v in value)
    return value
