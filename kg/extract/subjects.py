"""Whose figure it is (số liệu của ai): ``Observation.subject``.

A figure belongs to the issuer unless its sentence or its table row names another body:

- the sentence opens with a body the jurisdiction list knows ("Bộ Y tế giải ngân đạt 30%",
  "Tỉnh Đắk Lắk: thu ngân sách ...", "Thành phố Hà Nội ...") or the figure's clause names it
  with "của"/"tại" ("tỷ lệ giải ngân của tỉnh Đắk Lắk chỉ đạt 41,97%"), not as a yardstick
  ("thấp hơn bình quân chung của cả nước"): the subject is the name as written;
- a clause opens with a group the jurisdiction list reads as a collective ("các bộ, cơ quan
  trung ương giải ngân đạt 45%"): the group as written (never the nation, never the issuer);
- a table row names a body (``kg.extract.table_figures``): the row's name as written.

A name that designates the issuer itself ("tỉnh Lạng Sơn" in Lạng Sơn's report) keeps None.
A central document about one province (its title names exactly one: "Thông báo kết luận của
Thủ tướng Chính phủ tại buổi làm việc với lãnh đạo tỉnh Đắk Lắk") speaks of that province
when a sentence names no body ("Thu ngân sách 10 tháng đạt 13.966 tỷ đồng", "của tỉnh"): the
subject is the province as the title writes it. Otherwise a ministry or central body that
states a figure without naming whose it is reports on the country (a ministry governs its
sector nationwide; "Số giải ngân thực tế từ đầu năm ..." of the Ministry of Finance is the
national total, while its own rate is listed among the ministries): the subject is then "cả
nước", unless the sentence speaks of the ministry itself ("của Bộ").
The Government and the Prime Minister speak for the nation: their figures are their own.
Only names the jurisdiction list resolves are taken from sentences: an unknown phrase is never
made a subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.addressees import COLLECTIVES, agency_jurisdiction
from kg.extract.header import title_lines
from kg.extract.jurisdiction import read_jurisdiction
from kg.extract.text import LogicalLine
from kg.jurisdictions import Jurisdictions, default_jurisdictions

NATION_SUBJECT = "cả nước"
"""The subject of a central body's figures that name no body (the national total)."""

NATION_NAMES: frozenset[str] = frozenset({"cả nước", "toàn quốc", "việt nam"})
"""Names of the nation that make it a figure's owner (not its organs: Chính phủ, Quốc hội)."""

CENTRAL_KINDS: frozenset[str] = frozenset({"ministry", "central_body"})
"""Issuer kinds whose unattributed figures are the nation's."""

NAME_WORDS_MAX = 12
"""The longest body name tried at the head of a sentence, in words."""

_OWN = re.compile(r"(?<![\wÀ-ỹ])(?:của|tại)\s+(?:bộ|cơ\s+quan|ngành)(?![\wÀ-ỹ])\s*(?P<next>\S?)",
                  re.IGNORECASE)
LOCALITY_HEAD = re.compile(
    r"^(?P<head>huyện|quận|thị\s+xã|thành\s+phố|tp\.?|xã|phường|thị\s+trấn|đặc\s+khu|tỉnh)"
    r"\s+(?=\S)", re.IGNORECASE)
"""A place word opening a clause, followed by a capitalised name ("huyện Krông Pắc",
"Thành phố Buôn Ma Thuột"); a body's name ("Bộ Y tế", "Sở Tài chính") has lower-case words
and is read through the jurisdiction list instead."""
BODY_HEAD = re.compile(r"^(?:sở|bộ|ban|ủy\s+ban|uỷ\s+ban|ubnd)\s+(?=\S)", re.IGNORECASE)
_GROUP_END = re.compile(r"\s(?:đạt|ước|là|có|giải\s+ngân|thu|chi|tăng|giảm|bằng|chiếm|"
                        r"thực\s+hiện|hoàn\s+thành)(?![\wÀ-ỹ])|[0-9;.:]", re.IGNORECASE)
_OF = re.compile(r"(?<![\wÀ-ỹ])(?:của|tại)\s+", re.IGNORECASE)
_COMPARED = re.compile(r"(?<![\wÀ-ỹ])(?:so\s+với|hơn|bình\s+quân|trung\s+bình|mức\s+chung)"
                       r"(?![\wÀ-ỹ])", re.IGNORECASE)
"""A body named after these is a yardstick ("thấp hơn mức bình quân chung của cả nước"), not
whose figure it is."""
_LEAD = re.compile(r"^[\s*#>|•–+\-]*(?:\(?[0-9]{1,2}[.)]|[a-zđ]\))?[\s*]*")
_WORD = re.compile(r"[^\s,;:()]+")
_UNIT_NAME = re.compile(r"(?<![\wÀ-ỹ])(?:tỉnh|thành\s+phố|tp\.?)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*){1,4}",
                        re.IGNORECASE)
TOPIC_KINDS: frozenset[str] = frozenset({"nation", "ministry", "central_body"})
"""Issuer kinds whose document may be about one province (a notice after a working visit)."""


@dataclass(frozen=True)
class SubjectReader:
    """Reads the subjects of one document's figures; ``issuer`` is its jurisdiction code."""

    issuer: str | None
    registry: Jurisdictions
    topic: str | None = None
    """The one province a central document's title is about, as written."""

    @classmethod
    def for_lines(cls, lines: list[LogicalLine],
                  registry: Jurisdictions | None = None) -> SubjectReader:
        reg = registry or default_jurisdictions()
        issuer = read_jurisdiction(lines, reg).code
        item = reg.get(issuer) if issuer else None
        topic = (_topic(lines, reg, issuer) if item is not None and item.kind in TOPIC_KINDS
                 else None)
        return cls(issuer, reg, topic)

    @property
    def central(self) -> bool:
        item = self.registry.get(self.issuer) if self.issuer else None
        return item is not None and item.kind in CENTRAL_KINDS

    def _code(self, name: str) -> str | None:
        """The jurisdiction ``name`` designates as a figure's owner: the nation only as "cả
        nước" / "toàn quốc" ("Thủ tướng Chính phủ giao" names who set the plan, not whose
        figure it is)."""
        found = self.registry.resolve(name)
        if found is None:
            return None
        if found.kind == "nation" and " ".join(name.lower().split()) not in NATION_NAMES:
            return None
        return found.code

    def _named(self, text: str) -> str | None:
        """The longest run of words at the start of ``text`` the registry resolves."""
        words = [m for m in _WORD.finditer(text)][:NAME_WORDS_MAX]
        for count in range(len(words), 0, -1):
            name = text[:words[count - 1].end()].strip()
            if self._code(name):
                return name
        return None

    def in_sentence(self, text: str) -> str | None:
        """The subject of a figure whose sentence, up to the figure, is ``text``."""
        body = _LEAD.sub("", text.replace("**", " ")).strip()
        clause = body.rfind(";") + 1
        for head in (_LEAD.sub("", body[clause:]).strip(), body):
            place = self._locality(head)
            if place is not None:
                return place or None
            group = self._collective(head)
            if group:
                return group
        names = [self._named(body)]
        names += [self._named(body[m.end():]) for m in _OF.finditer(body, clause)
                  if not _COMPARED.search(body, max(clause, m.start() - 30), m.start())]
        for name in names:
            if name:
                return None if self._code(name) == self.issuer else name
        if self.topic:
            return self.topic
        if self.central and not _speaks_of_itself(body):
            return NATION_SUBJECT
        return None

    def _locality(self, text: str) -> str | None:
        """A place or body heading ``text`` with its capitalised name, as written; "" when it
        is the issuer itself ("tỉnh Lạng Sơn" in Lạng Sơn's report), None when there is none."""
        name = locality_at(text)
        if name is None:
            return None
        found = self.registry.resolve(name)
        return "" if found is not None and found.code == self.issuer else name

    def _collective(self, text: str) -> str | None:
        """A group of bodies opening ``text`` ("các bộ, cơ quan trung ương giải ngân đạt
        45%"): the group as written when the jurisdiction list reads it as a collective
        (every ministry, every province); "các địa phương" of a province is its own."""
        match = _GROUP_END.search(text)
        name = (text[:match.start()] if match else text).strip(" ,")
        if not name.lower().startswith("các "):
            return None
        code = agency_jurisdiction(name, self.issuer, self.registry)
        return name if code in COLLECTIVES else None

    def of_row(self, name: str | None) -> str | None:
        """The subject of a table row named ``name`` (None for a total: then the issuer's,
        or the nation's for a central issuer)."""
        if name is None:
            return self.topic or (NATION_SUBJECT if self.central else None)
        return None if self._code(name) == self.issuer and self.issuer else name


def _speaks_of_itself(text: str) -> bool:
    """Whether a ministry's sentence speaks of its own figure: "của Bộ" not followed by a
    name ("của Bộ Y tế" names another ministry)."""
    return any(not match["next"].isupper() for match in _OWN.finditer(text))


def _topic(lines: list[LogicalLine], registry: Jurisdictions, issuer: str | None) -> str | None:
    """The province a document's title lines name, when they name exactly one (as written:
    "tỉnh Đắk Lắk"); None for none or several."""
    found: dict[str, str] = {}
    for line in title_lines(lines):
        text = line.text.replace("*", " ")
        for match in _UNIT_NAME.finditer(text):
            words = match[0].split()
            for count in range(len(words), 1, -1):
                name = " ".join(words[:count])
                item = registry.resolve(name)
                if item is not None and item.kind == "province":
                    found.setdefault(item.code, name)
                    break
    found.pop(issuer or "", None)
    return next(iter(found.values())) if len(found) == 1 else None


def locality_at(text: str) -> str | None:
    """The place or body opening ``text`` ("huyện Krông Pắc đạt 30,5%" → "huyện Krông Pắc"):
    its head word and the capitalised words after it; None when no such name opens it."""
    match = LOCALITY_HEAD.match(text)
    if match is None:
        return None
    words: list[str] = []
    for word in text[match.end():].split():
        if not word[:1].isupper():
            break
        words.append(word.rstrip(",;:."))
        if word[-1] in ",;:.":
            break
    return f"{text[:match.end()]}{' '.join(words)}".strip() if words else None


def body_at(text: str) -> bool:
    """Whether a place or a body opens ``text`` (a capitalised name after its head word)."""
    if locality_at(text):
        return True
    match = BODY_HEAD.match(text)
    return bool(match) and text[match.end():match.end() + 1].isupper()
