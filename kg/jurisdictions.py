"""Jurisdictions (địa bàn, cơ quan quản lý): the nation, the provinces and centrally-run cities,
the ministries and other central bodies — read from ``data/jurisdictions.yaml`` with the 2025
reorganisations kept as history (Nghị quyết 202/2025/QH15 on the provinces, 176/2025/QH15 on
the ministries).

``resolve(name, on=None)`` finds the jurisdiction a name designates. Names are compared
folded (``kg.matching.fold``: no diacritics, lower case, punctuation as spaces) with the word
"và" dropped, so "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI", "Uy ban nhan dan tinh Dong Nai" and
"UBND tỉnh Đồng Nai" are one name. An organ of a province ("UBND tỉnh X", "HĐND tỉnh X", "Sở
Tài chính tỉnh X", "huyện Y, tỉnh X") resolves to the province X. Nothing is guessed: a name
that is not exactly a known name (after folding) resolves to None.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import DatasetError, Place
from kg.matching import fold
from kg.notation.text import nfc
from kg.search import has_diacritics

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "jurisdictions.yaml"
"""The reference list shipped with kehoach."""

KINDS: dict[str, tuple[str, str]] = {
    "nation": ("quốc gia", "nation"),
    "province": ("tỉnh, thành phố trực thuộc trung ương", "province or centrally-run city"),
    "ministry": ("bộ, cơ quan ngang bộ", "ministry or ministerial-level agency"),
    "central_body": ("cơ quan trung ương khác", "other central body"),
}
"""Kinds of jurisdiction → (Vietnamese, English) labels."""

UNITS: dict[str, tuple[str, ...]] = {
    "province": ("tỉnh",),
    "city": ("thành phố", "TP", "TP.", "Tp."),
}
"""A province's unit → the administrative words written before its name."""

ROW_FIELDS: frozenset[str] = frozenset({
    "code", "name", "name_en", "kind", "unit", "aliases", "symbols", "acts_for", "valid_from",
    "valid_until", "succeeded_by", "predecessors", "changed_on", "basis", "note",
})
BASIS_FIELDS: frozenset[str] = frozenset({"number", "type", "issuer", "date", "effective", "title"})

_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ORGAN_PREFIXES: tuple[str, ...] = (
    "uy ban nhan dan", "ubnd", "hoi dong nhan dan", "hdnd", "thuong truc hdnd",
    "thuong truc hoi dong nhan dan", "chu tich ubnd", "chu tich uy ban nhan dan",
    "tinh uy", "thanh uy", "ban thuong vu tinh uy", "ban thuong vu thanh uy", "dang bo",
    "doan dai bieu quoc hoi",
)
"""Folded organ words whose remainder is the locality itself: "UBND tỉnh X" → "tỉnh X"."""

LOCAL_HEADS: tuple[str, ...] = (
    "sở", "ban", "công an", "bộ chỉ huy", "kho bạc", "cục", "chi cục", "thanh tra", "văn phòng",
    "đài", "báo", "trường", "bệnh viện", "trung tâm", "quỹ", "liên đoàn", "liên minh", "hội",
    "mặt trận", "ủy ban", "uỷ ban", "đoàn", "tòa án", "toà án", "viện kiểm sát", "huyện",
    "quận", "thị xã", "thành phố", "xã", "phường", "thị trấn", "tp", "tp.",
)
"""First words (lower case, with diacritics) of a body or place inside a province: "Sở Tài
chính tỉnh X", "Công an tỉnh X", "huyện Lộc Bình, tỉnh Lạng Sơn" belong to X. Compared with
diacritics when the name has them ("Bảo đảm … tỉnh X" is a sentence, "Báo … tỉnh X" a body),
folded when it was written without."""

LOCAL_MAX_WORDS = 16
"""A longer text is a sentence, not the name of a body or place."""

_LOCALITY = re.compile(r"\b(?:tinh|thanh pho|tp)\b")


class JurisdictionError(DatasetError):
    """The jurisdictions file is malformed (a row, a field, a reference)."""

    code = "jurisdiction_error"


@dataclass(frozen=True)
class Basis:
    """The legal document that decided a change (căn cứ pháp lý)."""

    key: str
    number: str
    type: str
    issuer: str
    date: dt.date
    effective: dt.date | None = None
    title: str = ""


@dataclass(frozen=True)
class Jurisdiction:
    """One jurisdiction and its history (see data/jurisdictions.yaml for the fields)."""

    code: str
    name: str
    name_en: str
    kind: str
    unit: str | None = None
    aliases: tuple[str, ...] = ()
    symbols: tuple[str, ...] = ()
    acts_for: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    succeeded_by: str | None = None
    predecessors: tuple[str, ...] = ()
    changed_on: dt.date | None = None
    basis: str | None = None

    @property
    def full_name(self) -> str:
        """The name with its administrative word: "tỉnh Đồng Nai", "thành phố Hà Nội"."""
        return f"{UNITS[self.unit][0]} {self.name}" if self.unit else self.name

    def names(self) -> list[str]:
        """Every name this jurisdiction is matched by."""
        forms = [f"{word} {self.name}" for word in UNITS.get(self.unit or "", ())]
        return [self.name, self.name_en, *forms, *self.aliases]

    def valid_on(self, on: dt.date) -> bool:
        after = self.valid_from is None or on >= self.valid_from
        return after and (self.valid_until is None or on <= self.valid_until)


def _starts_local(name: str) -> bool:
    """Whether ``name`` starts with one of ``LOCAL_HEADS``."""
    if has_diacritics(name):
        lower = " ".join(nfc(name).lower().split())
        return lower.startswith(tuple(f"{head} " for head in LOCAL_HEADS))
    return fold(name).startswith(tuple(f"{fold(head)} " for head in LOCAL_HEADS))


def name_key(text: str) -> str:
    """The comparison form of a jurisdiction name: folded, "và" dropped."""
    return " ".join(word for word in fold(text).split() if word != "va")


@dataclass
class Jurisdictions:
    """The loaded reference list: lookup by code, name, document-number symbol; history."""

    items: dict[str, Jurisdiction]
    bases: dict[str, Basis] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _symbols: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in self.items.values():
            for name in item.names():
                self._names.setdefault(name_key(name), item.code)
            for symbol in item.symbols:
                self._symbols.setdefault(symbol.upper(), item.code)

    def __contains__(self, code: object) -> bool:
        return code in self.items

    def get(self, code: str) -> Jurisdiction | None:
        return self.items.get(code)

    def listing(self, kind: str | None = None, on: dt.date | None = None) -> list[Jurisdiction]:
        """The jurisdictions of ``kind`` (all kinds when None) that exist on ``on`` (all when
        None), in file order."""
        return [item for item in self.items.values()
                if (kind is None or item.kind == kind) and (on is None or item.valid_on(on))]

    def by_symbol(self, symbol: str) -> Jurisdiction | None:
        """The body whose document numbers carry ``symbol`` ("BTC" → Bộ Tài chính)."""
        code = self._symbols.get(symbol.strip().upper()) if isinstance(symbol, str) else None
        return self.items.get(code) if code else None

    def resolve(self, name: str, on: dt.date | None = None) -> Jurisdiction | None:
        """The jurisdiction ``name`` designates, or None when it is not exactly a known name.

        With ``on``: a unit that no longer existed that day gives its successor of that day
        ("tỉnh Bình Phước" on 1/8/2025 → Đồng Nai); a unit that did not exist yet and has
        exactly one predecessor gives that predecessor."""
        code = self._lookup(name) if isinstance(name, str) else None
        if code is None:
            return None
        return self.as_of(code, on) if on is not None else self.items[code]

    def _lookup(self, name: str) -> str | None:
        key = name_key(name)
        if not key:
            return None
        if key in self._names:
            return self._names[key]
        for prefix in ORGAN_PREFIXES:
            if key.startswith(prefix + " "):
                code = self._province(key[len(prefix) + 1:])
                if code:
                    return code
        if _starts_local(name) and len(key.split()) <= LOCAL_MAX_WORDS:
            for match in _LOCALITY.finditer(key):
                if match.start() == 0:
                    continue
                code = self._province(key[match.start():])
                if code:
                    return code
        return None

    def _province(self, key: str) -> str | None:
        code = self._names.get(key)
        return code if code and self.items[code].kind == "province" else None

    def as_of(self, code: str, on: dt.date) -> Jurisdiction | None:
        """The unit standing for ``code`` on ``on``: its successor after it ended, its only
        predecessor before it began, else itself."""
        item = self.items.get(code)
        seen: set[str] = set()
        while item is not None and item.code not in seen:
            seen.add(item.code)
            if item.valid_until and on > item.valid_until and item.succeeded_by:
                item = self.items[item.succeeded_by]
            elif item.valid_from and on < item.valid_from and len(item.predecessors) == 1:
                item = self.items[item.predecessors[0]]
            else:
                break
        return item

    def successor(self, code: str, on: dt.date | None = None) -> Jurisdiction | None:
        """The unit that carries ``code`` on ``on`` (today's last successor when None):
        "binh-phuoc" → Đồng Nai; an existing unit gives itself; an unknown code None."""
        item = self.items.get(code)
        seen: set[str] = set()
        while item is not None and item.succeeded_by and item.code not in seen:
            seen.add(item.code)
            if on is not None and item.valid_until and on <= item.valid_until:
                break
            item = self.items[item.succeeded_by]
        return item

    def speaks_for(self, code: str) -> str:
        """The jurisdiction a body's documents belong to: its ``acts_for`` or itself."""
        item = self.items.get(code)
        return item.acts_for if item is not None and item.acts_for else code


# --- loading and validation ---------------------------------------------------------------------

def _error(path: str, row: int | None, field_name: str | None, vi: str, en: str,
           text: Any = None) -> JurisdictionError:
    return JurisdictionError(vi, en, text=None if text is None else str(text),
                             place=Place(document=path, row=row, field=field_name))


def _date(value: Any, path: str, row: int | None, name: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _error(path, row, name, f"ngày '{value}' không hợp lệ (cần dạng YYYY-MM-DD)",
                 f"date '{value}' is invalid (expected YYYY-MM-DD)", value)


def _strings(value: Any, path: str, row: int, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise _error(path, row, name, "phải là danh sách chuỗi không rỗng",
                 "must be a list of non-empty strings", value)


def _text(raw: dict[str, Any], name: str, path: str, row: int, required: bool = True) -> str | None:
    value = raw.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _error(path, row, name, "thiếu hoặc không phải chuỗi", "missing or not a string",
                     value)
    return value.strip()


def _row(raw: Any, path: str, row: int) -> Jurisdiction:
    if not isinstance(raw, dict):
        raise _error(path, row, None, "mỗi dòng phải là một ánh xạ (mapping)",
                     "each row must be a mapping", raw)
    unknown = sorted(set(raw) - ROW_FIELDS)
    if unknown:
        raise _error(path, row, unknown[0], f"trường không được hỗ trợ '{unknown[0]}'",
                     f"unsupported field '{unknown[0]}'", unknown[0])
    code = _text(raw, "code", path, row)
    if not _CODE.match(code):
        raise _error(path, row, "code", f"mã '{code}' phải là chữ thường ASCII nối bằng '-'",
                     f"code '{code}' must be lower-case ASCII words joined by '-'", code)
    kind = _text(raw, "kind", path, row)
    if kind not in KINDS:
        raise _error(path, row, "kind", f"loại '{kind}' không hợp lệ (cần: {', '.join(KINDS)})",
                     f"kind '{kind}' is invalid (expected: {', '.join(KINDS)})", kind)
    unit = _text(raw, "unit", path, row, required=False)
    if (kind == "province") != (unit is not None) or (unit and unit not in UNITS):
        raise _error(path, row, "unit", "tỉnh/thành phố phải có unit là province hoặc city; "
                     "loại khác không có unit",
                     "a province needs unit province or city; other kinds have none", unit)
    item = Jurisdiction(
        code=code, name=_text(raw, "name", path, row), name_en=_text(raw, "name_en", path, row),
        kind=kind, unit=unit, aliases=_strings(raw.get("aliases"), path, row, "aliases"),
        symbols=_strings(raw.get("symbols"), path, row, "symbols"),
        acts_for=_text(raw, "acts_for", path, row, required=False),
        valid_from=_date(raw.get("valid_from"), path, row, "valid_from"),
        valid_until=_date(raw.get("valid_until"), path, row, "valid_until"),
        succeeded_by=_text(raw, "succeeded_by", path, row, required=False),
        predecessors=_strings(raw.get("predecessors"), path, row, "predecessors"),
        changed_on=_date(raw.get("changed_on"), path, row, "changed_on"),
        basis=_text(raw, "basis", path, row, required=False),
    )
    if name_key(item.name).replace(" ", "-") != code.replace("-va-", "-"):
        raise _error(path, row, "code", f"mã '{code}' không khớp tên '{item.name}'",
                     f"code '{code}' does not match the name '{item.name}'", code)
    if item.valid_from and item.valid_until and item.valid_from > item.valid_until:
        raise _error(path, row, "valid_until", "valid_until trước valid_from",
                     "valid_until is before valid_from", item.valid_until)
    if item.succeeded_by and item.valid_until is None:
        raise _error(path, row, "valid_until", "có succeeded_by thì phải có valid_until",
                     "succeeded_by needs valid_until", item.succeeded_by)
    if bool(item.predecessors) != bool(item.changed_on):
        raise _error(path, row, "changed_on", "predecessors và changed_on phải đi cùng nhau",
                     "predecessors and changed_on go together", item.changed_on)
    if (item.succeeded_by or item.predecessors) and not item.basis:
        raise _error(path, row, "basis", "thay đổi phải có căn cứ pháp lý (basis)",
                     "a change needs its legal basis (basis)", code)
    return item


def _basis(key: Any, raw: Any, path: str) -> Basis:
    if not isinstance(raw, dict) or not isinstance(key, str):
        raise _error(path, None, f"bases.{key}", "căn cứ phải là một ánh xạ",
                     "a basis must be a mapping", raw)
    unknown = sorted(set(raw) - BASIS_FIELDS)
    if unknown:
        raise _error(path, None, f"bases.{key}.{unknown[0]}", "trường không được hỗ trợ",
                     "unsupported field", unknown[0])
    for name in ("number", "type", "issuer"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise _error(path, None, f"bases.{key}.{name}", "thiếu hoặc không phải chuỗi",
                         "missing or not a string", raw.get(name))
    when = _date(raw.get("date"), path, None, f"bases.{key}.date")
    if when is None:
        raise _error(path, None, f"bases.{key}.date", "thiếu ngày ban hành",
                     "the date of issue is missing")
    return Basis(key, raw["number"].strip(), raw["type"].strip(), raw["issuer"].strip(), when,
                 _date(raw.get("effective"), path, None, f"bases.{key}.effective"),
                 str(raw.get("title") or ""))


def _check_links(items: dict[str, Jurisdiction], rows: dict[str, int],
                 bases: dict[str, Basis], path: str) -> None:
    for code, item in items.items():
        row = rows[code]
        if item.basis and item.basis not in bases:
            raise _error(path, row, "basis", f"không có căn cứ '{item.basis}' trong bases",
                         f"no basis '{item.basis}' under bases", item.basis)
        for name, target in (("succeeded_by", item.succeeded_by), ("acts_for", item.acts_for)):
            if target and target not in items:
                raise _error(path, row, name, f"không có đơn vị mã '{target}'",
                             f"no jurisdiction with code '{target}'", target)
        if item.succeeded_by:
            after = items[item.succeeded_by]
            if code not in after.predecessors:
                raise _error(path, row, "succeeded_by", f"'{after.code}' không liệt kê '{code}' "
                             "trong predecessors", f"'{after.code}' does not list '{code}' "
                             "among its predecessors", item.succeeded_by)
            assert item.valid_until is not None
            if after.changed_on != item.valid_until + dt.timedelta(days=1):
                raise _error(path, row, "valid_until", f"'{after.code}' phải tiếp nhận (changed_on)"
                             " đúng ngày sau valid_until", f"'{after.code}' must take over "
                             "(changed_on) the day after valid_until", item.valid_until)
        for before in item.predecessors:
            if before not in items or items[before].succeeded_by != code:
                raise _error(path, row, "predecessors", f"'{before}' không có succeeded_by: {code}",
                             f"'{before}' does not have succeeded_by: {code}", before)


def _check_names(items: dict[str, Jurisdiction], rows: dict[str, int], path: str) -> None:
    owners: dict[str, str] = {}
    for code, item in items.items():
        for name in item.names():
            key = name_key(name)
            other = owners.setdefault(key, code)
            if other != code:
                raise _error(path, rows[code], "aliases", f"tên '{name}' trùng với '{other}'",
                             f"the name '{name}' is also a name of '{other}'", name)
        for symbol in item.symbols:
            other = owners.setdefault("symbol:" + symbol.upper(), code)
            if other != code:
                raise _error(path, rows[code], "symbols", f"ký hiệu '{symbol}' trùng với '{other}'",
                             f"the symbol '{symbol}' is also used by '{other}'", symbol)


def load_jurisdictions(path: str | Path | None = None) -> Jurisdictions:
    """Read and validate a jurisdictions file (``data/jurisdictions.yaml`` by default)."""
    source = Path(path) if path is not None else DEFAULT_PATH
    where = str(source)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise _error(where, None, None, f"không đọc được tệp: {error}",
                     f"cannot read the file: {error}") from None
    except yaml.YAMLError as error:
        raise _error(where, None, None, f"YAML không hợp lệ: {error}",
                     f"invalid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("jurisdictions"), list):
        raise _error(where, None, "jurisdictions", "tệp phải có danh sách 'jurisdictions'",
                     "the file must hold a 'jurisdictions' list")
    raw_bases = data.get("bases") or {}
    if not isinstance(raw_bases, dict):
        raise _error(where, None, "bases", "'bases' phải là một ánh xạ",
                     "'bases' must be a mapping")
    bases = {key: _basis(key, raw, where) for key, raw in raw_bases.items()}
    items: dict[str, Jurisdiction] = {}
    rows: dict[str, int] = {}
    for index, raw in enumerate(data["jurisdictions"], start=1):
        item = _row(raw, where, index)
        if item.code in items:
            raise _error(where, index, "code",
                         f"mã '{item.code}' bị trùng (dòng {rows[item.code]})",
                         f"code '{item.code}' is repeated (row {rows[item.code]})", item.code)
        items[item.code], rows[item.code] = item, index
    _check_links(items, rows, bases, where)
    _check_names(items, rows, where)
    return Jurisdictions(items, bases)


@lru_cache(maxsize=1)
def default_jurisdictions() -> Jurisdictions:
    """The shipped reference list, loaded once on first use."""
    return load_jurisdictions()


def jurisdiction_of(code: str) -> Jurisdiction | None:
    """The jurisdiction with ``code`` in the shipped list, None for an unknown code."""
    return default_jurisdictions().get(code) if isinstance(code, str) else None


def resolve(name: str, on: dt.date | None = None) -> Jurisdiction | None:
    """``Jurisdictions.resolve`` on the shipped list."""
    return default_jurisdictions().resolve(name, on)


def successor(code: str, on: dt.date | None = None) -> Jurisdiction | None:
    """``Jurisdictions.successor`` on the shipped list."""
    return default_jurisdictions().successor(code, on)


def jurisdictions(kind: str | None = None, on: dt.date | None = None) -> list[Jurisdiction]:
    """``Jurisdictions.listing`` on the shipped list."""
    return default_jurisdictions().listing(kind, on)
