"""Report text as logical lines (dòng lôgic) that keep their original line numbers.

Real report files are hard-wrapped (often with a blank line after every wrapped line), and a
page's footnotes (chú thích) are dropped into the middle of a sentence where the page breaks:

- PDF exports put a long whitespace-only line before a page's footnotes; each footnote starts
  with its number ("28 Trong đó, ...") and the body resumes on a line starting with a space.
- Word/Markdown exports put footnotes on their own lines, opened by a superscript number
  ("¹ Chủ yếu là ...") or by ``[^1]:``.

``logical_lines`` lifts the footnotes out as logical lines of their own and rejoins the body:
a wrap is joined with one space; a new logical line starts after a sentence end followed by a
capital letter or a list marker, and around headings. Every character keeps its source line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KehoachError, Place
from kg.extract.markers import CleanText, strip_markers
from kg.notation import nfc

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
"""Superscript digits (chỉ số trên) used as footnote markers by Word exports."""

SEPARATOR_MIN_WIDTH = 10
"""A whitespace-only line at least this wide is a PDF footnote separator."""

READERS_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx")
"""File types ``read_document`` accepts."""

_PDF_FOOTNOTE = re.compile(r"^(\d{1,3})\s+\S")
_SUP_FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPT_DIGITS}]+)\s*\S")
_MD_FOOTNOTE = re.compile(r"^\s*\[\^?(\d{1,3})\]:?\s+")
_HEADING = re.compile(
    r"^\s*(?:\*\*)?(?:phần\s+[ivx0-9]+\b|[IVX]{1,5}\.\s|[A-Za-z]\)\s|\d{1,2}\.(?:\d{1,2}\.)*(?:\d{1,2})?\s)",
    re.IGNORECASE,
)
_LIST_START = re.compile(
    r"^\s*(?:\*\*\s*)?(?:[-+•–]\s*\*\*|[-+*•–]\s|\(?\d{1,2}[.)]\s|\(?[a-zđ]\)\s|[IVX]{1,5}\.\s)"
)
_TERMINAL = ".!?:;…"


class TextError(KehoachError):
    """A report file could not be read."""

    code = "extract_read_error"


@dataclass
class LogicalLine:
    """One paragraph, heading or footnote, rejoined from its hard-wrapped source lines.

    ``text`` is verbatim (a wrap becomes one space); ``clean`` has footnote markers removed and
    maps back to ``text`` for quotes. ``footnote`` is the footnote number for a footnote.
    """

    text: str
    starts: list[tuple[int, int]] = field(default_factory=list)
    footnote: int | None = None
    heading: bool = False
    _clean: CleanText | None = None

    def add(self, piece: str, line_no: int) -> None:
        if self.text:
            self.text += " "
        self.starts.append((len(self.text), line_no))
        self.text += piece

    @property
    def first_line(self) -> int:
        return self.starts[0][1] if self.starts else 0

    def line_at(self, offset: int) -> int:
        """The source line holding character ``offset`` of ``text``."""
        index = bisect.bisect_right([s for s, _ in self.starts], offset) - 1
        return self.starts[max(index, 0)][1]

    @property
    def clean(self) -> CleanText:
        if self._clean is None:
            self._clean = strip_markers(self.text)
        return self._clean

    def quote(self, start: int, end: int) -> tuple[str, int]:
        """Verbatim quote and source line for the span ``start:end`` of ``clean.text``."""
        raw_start, raw_end = self.clean.raw_span(start, end)
        return self.text[raw_start:raw_end].strip(), self.line_at(raw_start)


def read_document(path: str | Path) -> str:
    """The text of a .txt, .md or .docx file (one paragraph of a .docx per line)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS_SUFFIXES:
        raise TextError(
            f"Không đọc được loại tệp '{suffix}' (chỉ nhận .txt, .md, .docx)",
            f"Cannot read file type '{suffix}' (only .txt, .md, .docx)",
            code="extract_file_type", place=Place(document=str(path)),
        )
    try:
        if suffix == ".docx":
            return nfc(_read_docx(path))
        return nfc(path.read_text(encoding="utf-8-sig"))  # one Unicode form for quotes, matching
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise TextError(
            f"Không đọc được tệp: {error}", f"Cannot read the file: {error}",
            place=Place(document=str(path)),
        ) from None


def _read_docx(path: Path) -> str:
    import docx  # python-docx; imported lazily (nothing happens at import)

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several unrelated types
        raise ValueError(f"not a valid .docx ({type(error).__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _is_separator(line: str) -> bool:
    return not line.strip() and len(line) >= SEPARATOR_MIN_WIDTH


def _superscript_number(text: str) -> int:
    return int("".join(str(SUPERSCRIPT_DIGITS.index(c)) for c in text))


def _is_heading(line: str) -> bool:
    body = line.strip().strip("*").strip()
    if not body or body[-1:] in _TERMINAL:
        return False
    letters = [c for c in body if c.isalpha()]
    if letters and len(letters) > 3 and all(c.isupper() for c in letters):
        return True
    return bool(_HEADING.match(line)) and len(body) <= 120


def _starts_new(previous: str, line: str) -> bool:
    """Whether ``line`` opens a new logical line after the accumulated ``previous``."""
    ends = previous.rstrip().rstrip("*\"”’)").rstrip()
    first = line.strip()[:1]
    if _LIST_START.match(line) and ends[-1:] in _TERMINAL:
        return True
    return ends[-1:] in _TERMINAL and (first.isupper() or first.isdigit())


HEADING_WRAP_WIDTH = 65
"""A numbered line at least this long that ends mid-phrase is a wrapped list item."""

CONNECTORS: frozenset[str] = frozenset({
    "của", "và", "các", "với", "về", "cho", "theo", "tại", "trong", "những", "để", "là",
    "được", "từ", "đến", "trên", "thực",
})
"""Words that cannot end a heading: a line ending with one continues on the next."""


def _continues_heading(cur: LogicalLine, piece: str) -> bool:
    """Whether ``piece`` continues the heading-like line ``cur`` (a wrapped heading or a
    numbered list item) instead of opening a new logical line."""
    text = cur.text.rstrip()
    if text[-1:] in _TERMINAL:
        return False
    letters = [c for c in text if c.isalpha()]
    caps = bool(letters) and all(c.isupper() for c in letters)
    piece_letters = [c for c in piece if c.isalpha()]
    if caps and not all(c.isupper() for c in piece_letters):
        return False
    if piece.strip()[:1].islower() or text.endswith(",") or text.endswith("-"):
        return True
    if (len(cur.starts) > 1 and piece.strip()[:1].isdigit() and not _LIST_START.match(piece)
            and not _HEADING.match(piece)):
        return True  # a wrapped list item going on with a number ("mới đạt / 39,5%")
    last = text.split()[-1].lower() if text.split() else ""
    return last in CONNECTORS or (len(cur.starts) == 1 and len(text) >= HEADING_WRAP_WIDTH
                                  and not caps)


class _Builder:
    """Accumulates body paragraphs and footnotes while walking the source lines."""

    def __init__(self) -> None:
        self.body: list[LogicalLine] = []
        self.notes: list[LogicalLine] = []
        self.current: LogicalLine | None = None
        self.note: LogicalLine | None = None
        self.order: list[LogicalLine] = []

    def body_line(self, piece: str, line_no: int) -> None:
        candidate = _is_heading(piece)
        cur = self.current
        if cur is None or candidate:
            opens = True
        elif cur.heading:
            opens = not _continues_heading(cur, piece)
        else:
            opens = _starts_new(cur.text, piece)
        if opens:
            cur = LogicalLine("", heading=candidate)
            self.current = cur
            self.order.append(cur)
        cur.add(piece.strip(), line_no)

    def footnote(self, number: int | None, piece: str, line_no: int) -> None:
        if number is not None or self.note is None:
            self.note = LogicalLine("", footnote=number)
            self.order.append(self.note)
        self.note.add(piece.strip(), line_no)

    def result(self) -> list[LogicalLine]:
        lines = [line for line in self.order if line.text.strip()]
        for line in lines:
            body = line.text.strip().strip("*").strip()
            line.heading = line.heading and body[-1:] not in _TERMINAL and len(body) <= 200
        return lines


def logical_lines(text: str) -> list[LogicalLine]:
    """Split ``text`` into logical lines: body paragraphs, headings and lifted footnotes,
    in the order they start in the source."""
    if not isinstance(text, str):
        raise TextError("Văn bản phải là chuỗi", "The text must be a string",
                        code="extract_not_text")
    builder = _Builder()
    in_zone, last_note = False, 0
    for index, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        line_no = index + 1
        if _is_separator(raw):
            in_zone, builder.note = True, None
            continue
        if not raw.strip():
            continue
        if in_zone and raw[:1].isspace():
            in_zone = False
        if in_zone:
            match = _PDF_FOOTNOTE.match(raw)
            number = int(match[1]) if match else None
            is_new = number is not None and (number == last_note + 1 or builder.note is None)
            if is_new:
                last_note = number or last_note
                builder.footnote(number, raw[match.end(1):] if match else raw, line_no)
            else:
                builder.footnote(None, raw, line_no)
            continue
        sup, md = _SUP_FOOTNOTE.match(raw), _MD_FOOTNOTE.match(raw)
        if sup or md:
            number = _superscript_number(sup[1]) if sup else int(md[1])
            rest = raw[sup.end(1):] if sup else raw[md.end():]
            builder.note = None
            builder.footnote(number, rest, line_no)
            builder.note = None
            continue
        builder.body_line(raw, line_no)
    return builder.result()
