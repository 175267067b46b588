"""Tables (bảng) of a text or Markdown export, with the file line of every cell.

Three ways tables reach us:

- **Pipe lines** (web and Word exports, most of the corpus): every row is written
  ``|`` cell ``|`` cell … ``|`` with each ``|`` alone on its line and each cell on its own
  run of lines, so consecutive rows meet as two ``|`` lines in a row. A cell never holds a
  ``|`` line. Two ``|`` lines in a row therefore end a row, except at the start of a row,
  where they hold an empty cell (a merged first column). Where a table ends is not written:
  the text after a row's last ``|`` may be the next cell or the text after the table. The
  table's width decides: once a row has as many cells as the widest row closed so far
  (the header), the text after it is outside the table, unless the row ends one or two
  cells later (a header with merged titles) and that text is no long body text (more than
  ``CELL_LINES_MAX`` lines, or a "Chương", "Điều N." or "PHỤ LỤC" heading); a blank line
  always ends a table; a cell reading "STT"/"TT" after other cells opens a new table (its
  header), and the cell before it was the text between the two tables.
- **Markdown rows** ``| a | b |`` one per line; a ``|---|---|`` line marks the row above
  it as the header.
- **Plain rows** ``a | b | c`` as ``read_document`` writes a .docx table: two or more
  consecutive lines with the same number of `` | ``.

``Cell.text`` is the cell's lines joined with one space, Markdown emphasis (``**``, ``*``)
removed; ``line`` is the cell's first file line (1-based). Known limit: an empty cell in the
middle of a pipe-line row cannot be told from a row end (both are two ``|`` lines), so such a
row comes out as two rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER_WORDS = re.compile(
    r"^(?:s[ốố]\s*)?(?:stt|tt)$|nhiệm\s+vụ|chủ\s+trì|phối\s+hợp|thời\s+(?:gian|hạn)|"
    r"cơ\s+quan|đơn\s+vị|chỉ\s+tiêu|nội\s+dung|kết\s+quả|sản\s+phẩm|ghi\s+chú|kế\s+hoạch|"
    r"tên\s|lĩnh\s+vực|tiến\s+độ|kinh\s+phí|dự\s+kiến|ước\s+thực\s+hiện|đánh\s+giá",
    re.IGNORECASE,
)
"""Words of a header cell (tiêu đề cột): STT, Nhiệm vụ, Cơ quan chủ trì, Thời gian …"""

HEADER_CELL_MAX = 60
"""A header cell is a short label; a longer cell is content."""

CELL_LINES_MAX = 40
"""A run of more lines than this after a full row is the text after the table, not a cell."""

EXTRA_CELLS_MAX = 2
"""How many cells a row may have beyond the widest earlier row (a header with merged
titles) before the text after a full row is taken for the text after the table."""

_BODY_HEADING = re.compile(r"^\s*\*{0,2}\s*(?:Chương\s+[IVXLC0-9]+|Điều\s+[0-9]+\.|PHỤ\s+LỤC)\b")
_SECTION_CELL = re.compile(r"^(?:[A-ZĐ]|[IVXL]{1,5}|[0-9]{1,2})\.?$")
PLACE_DATE_MAX = 80
"""The place-and-date line of a document header is short."""

_PLACE_DATE = re.compile(r",\s*ngày\s+[0-9]{1,2}\s+tháng\s+[0-9]{1,2}\s+năm\s+[0-9]{4}\s*$",
                         re.IGNORECASE)
_RECIPIENTS = re.compile(r"^\W*(?:Nơi\s+nhận|Kính\s+gửi)\b", re.IGNORECASE)
_ORDINAL_HEAD = re.compile(r"^(?:s[ốố]\s*)?(?:stt|tt)$|^số\s+thứ\s+tự$", re.IGNORECASE)
_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PLAIN_SEP = " | "


@dataclass
class Cell:
    """One cell: its text (lines joined by a space) and its first file line (1-based)."""

    text: str
    line: int


@dataclass
class Row:
    """One row of cells, in order; ``line`` is its first cell's line."""

    cells: list[Cell]
    line: int

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass
class Table:
    """A table: ``header`` is its header row (tiêu đề) when it has one, ``rows`` the other
    rows in order (a section row above the header, "B | PHÁT TRIỂN ...", stays in them).
    ``first_line``/``last_line`` bound the file lines the table covers."""

    rows: list[Row]
    header: Row | None
    first_line: int = 0
    last_line: int = 0
    _columns: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def width(self) -> int:
        """The number of columns: the header's, else the widest row's."""
        if self.header is not None:
            return len(self.header.cells)
        return max((len(row.cells) for row in self.rows), default=0)

    def column(self, pattern: str) -> int | None:
        """The index of the first header cell matching ``pattern`` (a regular expression,
        case-insensitive), or None."""
        if self.header is None:
            return None
        if pattern not in self._columns:
            found = next((i for i, cell in enumerate(self.header.cells)
                          if re.search(pattern, cell.text, re.IGNORECASE)), -1)
            self._columns[pattern] = found
        index = self._columns[pattern]
        return None if index < 0 else index


def clean_cell(lines: list[str]) -> str:
    """A cell's text: its lines joined by one space, Markdown emphasis removed."""
    text = " ".join(line.strip() for line in lines if line.strip())
    text = text.replace("**", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    return " ".join(text.split())


def is_header(row: Row) -> bool:
    """Whether ``row`` reads as column titles: two or more short cells, most of them
    header words (STT, Nhiệm vụ, Cơ quan chủ trì, Thời gian hoàn thành …)."""
    texts = [t for t in row.texts() if t]
    if len(texts) < 2 or any(len(t) > HEADER_CELL_MAX for t in texts):
        return False
    labels = sum(1 for t in texts if HEADER_WORDS.search(t))
    return labels * 2 >= len(texts) and labels >= 2


def tables_in(text: str) -> list[Table]:
    """Every table of ``text``, in order (see the module docstring for the forms read)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables = _pipe_tables(lines) + _markdown_tables(lines) + _plain_tables(lines)
    tables.sort(key=lambda t: t.first_line)
    return tables


# ---------------------------------------------------------------- pipe-line tables

@dataclass
class _Token:
    """A run of text lines ended by a ``|`` line (a cell candidate), or a blank line."""

    lines: list[str]
    line: int
    end: int
    closed: bool
    """Whether a ``|`` line ends it (else a blank line or the end of the file does)."""


def _tokens(lines: list[str]) -> list[_Token | None]:
    """The ``|``-line structure: a token per run of text before a ``|`` line (empty runs
    included); None marks a blank line or text not closed by a ``|`` (outside any table)."""
    out: list[_Token | None] = []
    run: list[str] = []
    start = 0
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if stripped == "|":
            out.append(_Token(run, start or number, number, True))
            run, start = [], 0
        elif not stripped:
            if run:
                out.append(None)
            elif not out or out[-1] is not None:
                out.append(None)
            run, start = [], 0
        else:
            if not run:
                start = number
            run.append(raw)
    if run:
        out.append(None)
    return out


class _PipeBuilder:
    def __init__(self) -> None:
        self.tables: list[Table] = []
        self.rows: list[Row] = []
        self.row: list[Cell] = []
        self.width = 0
        self.first = 0
        self.last = 0
        self.previous = 0
        self.active = False

    def start(self, line: int) -> None:
        self.active, self.rows, self.row, self.width = True, [], [], 0
        self.first = self.last = self.previous = line

    def accept(self, end: int) -> None:
        """Take the token ending at line ``end`` into the table."""
        self.previous, self.last = self.last, end

    def close_row(self) -> None:
        if self.row:
            self.rows.append(Row(self.row, self.row[0].line))
            if len(self.row) >= 2 and not _SECTION_CELL.match(self.row[0].text):
                self.width = max(self.width, len(self.row))
        self.row = []

    def finish(self) -> None:
        if not self.active:
            return
        self.close_row()
        rows = [row for row in self.rows if any(cell.text for cell in row.cells)]
        if rows:
            header = next((row for row in rows[:3] if is_header(row)), None)
            body = [row for row in rows if row is not header]
            self.tables.append(Table(body, header, self.first, self.last))
        self.active = False
        self.rows, self.row = [], []


def _closes_table(row: list[Cell]) -> bool:
    """Whether a row ends its table (thể thức văn bản): the header table's last cell is the
    place and date ("Hà Nội, ngày 16 tháng 11 năm 2025"); the closing table holds the
    recipient list (Nơi nhận) and then the signature."""
    last = row[-1].text
    if _PLACE_DATE.search(last) and len(last) <= PLACE_DATE_MAX:
        return True
    return len(row) >= 2 and bool(_RECIPIENTS.match(row[-2].text))


def _outside(tokens: list[_Token | None], index: int) -> bool:
    """Whether the text token at ``index``, after a row as wide as the table, is the text
    after the table rather than an extra cell: extra cells (a data row one or two cells
    wider than a header with a merged title) are soon followed by the row's end."""
    count = 0
    first = tokens[index]
    if first is not None and (len(first.lines) > CELL_LINES_MAX
                              or any(_BODY_HEADING.match(line) for line in first.lines)):
        return True
    while index < len(tokens):
        token = tokens[index]
        if token is None:
            return True
        if not token.lines:
            return count > EXTRA_CELLS_MAX
        count += 1
        index += 1
    return True


def _pipe_tables(lines: list[str]) -> list[Table]:
    builder = _PipeBuilder()
    tokens = _tokens(lines)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token is None:
            builder.finish()
            continue
        if not builder.active:
            # the text before a table's opening "|" is outside it
            builder.start(token.end)
            continue
        if not token.lines:
            builder.accept(token.end)
            if builder.row:
                builder.close_row()
            else:
                builder.row.append(Cell("", token.end))
            continue
        text = clean_cell(token.lines)
        full = builder.width and len(builder.row) >= builder.width
        if builder.row and (_closes_table(builder.row) or full) and _outside(tokens, index - 1):
            builder.finish()
            builder.start(token.end)
            continue
        if _ORDINAL_HEAD.match(text) and (builder.row or builder.rows):
            # a new header: the text between the tables was taken for a cell
            outside = builder.row.pop() if builder.row else None
            builder.last = builder.previous if outside else builder.last
            builder.finish()
            builder.start(token.line - 1)
        builder.accept(token.end)
        builder.row.append(Cell(text, token.line))
    builder.finish()
    return builder.tables


# ---------------------------------------------------------------- one-line rows

def _split_row(raw: str, number: int, bordered: bool) -> Row:
    body = raw.strip()
    if bordered:
        body = body[1:-1] if body.endswith("|") and len(body) > 1 else body[1:]
    return Row([Cell(clean_cell([part]), number) for part in body.split("|")], number)


def _markdown_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    block: list[tuple[int, str]] = []
    for number, raw in enumerate([*lines, ""], 1):
        if _MD_ROW.match(raw) and raw.strip() != "|" and raw.count("|") >= 2:
            block.append((number, raw))
            continue
        if block:
            tables.append(_markdown_table(block))
            block = []
    return [table for table in tables if table.rows or table.header]


def _markdown_table(block: list[tuple[int, str]]) -> Table:
    header: Row | None = None
    rows: list[Row] = []
    for number, raw in block:
        if _MD_SEPARATOR.match(raw):
            if rows and header is None:
                header = rows.pop()
            continue
        rows.append(_split_row(raw, number, bordered=True))
    if header is None and rows and is_header(rows[0]):
        header = rows.pop(0)
    return Table(rows, header, block[0][0], block[-1][0])


def _plain_tables(lines: list[str]) -> list[Table]:
    tables: list[Table] = []
    block: list[tuple[int, str]] = []
    count = 0
    for number, raw in enumerate([*lines, ""], 1):
        bordered = raw.strip().startswith("|") or raw.strip().endswith("|")
        here = raw.count(_PLAIN_SEP) if not bordered else 0
        if here and (not block or here == count):
            block.append((number, raw))
            count = here
            continue
        if len(block) >= 2:
            rows = [_split_row(r, n, bordered=False) for n, r in block]
            header = rows.pop(0) if is_header(rows[0]) else None
            tables.append(Table(rows, header, block[0][0], block[-1][0]))
        block, count = ([(number, raw)], here) if here else ([], 0)
    return tables
