"""Read Vietnamese report text into facts, citations and tasks (trích xuất báo cáo).

``extract_text(text)`` / ``extract_file(path)`` return an ``Extraction``: plan-comparison
observations, cited documents and forward-looking tasks, each with its source line and a
verbatim quote. Every number, period, date, deadline and document number is read by
``kg.notation``. Indicators are matched to known ones with an ``IndicatorMatcher``
(diacritics-insensitive); an unmatched name is left null with candidates, never guessed.

Modules: ``text`` (files → logical lines, footnotes lifted), ``markers`` (glued footnote
markers), ``header`` (the document's own period and date), ``spans`` (locating quantities
and periods), ``bases`` (plan bases), ``observations``, ``levels`` (a level against a
target), ``table_figures`` (figures of tables), ``subjects`` (whose figure), ``citations``,
``tasks``, ``progress`` (statements on earlier tasks and the tasks they report on),
``matching``, ``ingest`` (facts for the log).
"""

from __future__ import annotations

from pathlib import Path

from kg.extract.citations import citations_in
from kg.extract.header import HEADER_LINES, DocumentHeader, document_period, read_header
from kg.extract.levels import levels_in
from kg.extract.matching import IndicatorMatcher, load_indicator_matcher
from kg.extract.model import Citation, Extraction, Observation, Target, Task
from kg.extract.observations import basis_at, observations_in, period_at
from kg.extract.progress import statements_in
from kg.extract.subjects import SubjectReader
from kg.extract.table_figures import table_observations
from kg.extract.targets import targets_in
from kg.extract.tasks import tasks_in
from kg.extract.text import LogicalLine, TextError, logical_lines, read_document
from kg.notation import Period, parse_period

__all__ = [
    "HEADER_LINES",
    "Citation",
    "DocumentHeader",
    "Extraction",
    "IndicatorMatcher",
    "LogicalLine",
    "Observation",
    "Target",
    "Task",
    "TextError",
    "document_period",
    "extract_file",
    "extract_text",
    "load_indicator_matcher",
    "logical_lines",
    "read_document",
    "read_header",
]


def _footnote_contexts(lines: list[LogicalLine], period: Period | None,
                       header: DocumentHeader | None = None,
                       ) -> dict[int, tuple[tuple[str, str] | None, Period | None]]:
    """For each footnote number, the plan basis and the period in force in the clause of
    the body that cites it."""
    contexts: dict[int, tuple[tuple[str, str] | None, Period | None]] = {}
    for line in lines:
        if line.footnote is not None:
            continue
        for number, position in line.clean.markers:
            if number not in contexts:
                contexts[number] = (basis_at(line, position),
                                    period_at(line, position, period, header))
    return contexts


def _year_of(header: DocumentHeader) -> Period | None:
    """The document's year as a period (a deadline "trong Quý IV" takes its year)."""
    return parse_period(str(header.year)) if header.year else None


def extract_lines(lines: list[LogicalLine], source: str = "<text>",
                  matcher: IndicatorMatcher | None = None,
                  text: str | None = None) -> Extraction:
    """Extract from logical lines (see ``logical_lines``); ``text``, the document the lines
    were read from, gives the figures of its tables (``table_figures``)."""
    header = read_header(lines)
    period = header.period
    subjects = SubjectReader.for_lines(lines)
    inherited = _footnote_contexts(lines, period, header)
    result = Extraction(source=source, period=period.code if period else None)
    for line in lines:
        if line.heading:
            result.citations.extend(citations_in(line))
            continue
        basis, own = inherited.get(line.footnote, (None, None)) if line.footnote else (None, None)
        result.observations.extend(observations_in(line, own or period, basis, header,
                                                   subjects))
        result.observations.extend(levels_in(line, own or period, header, subjects))
        result.citations.extend(citations_in(line))
    result.tasks = tasks_in(lines, period or _year_of(header))
    if text is not None:
        result.observations.extend(table_observations(text, period, header, subjects))
    result.progress = statements_in(lines)
    result.targets = targets_in(lines, period)
    if matcher is not None:
        for observation in result.observations:
            matcher.annotate(observation)
        for target in result.targets:
            matcher.annotate(target)
    return result


def extract_text(text: str, source: str = "<text>",
                 matcher: IndicatorMatcher | None = None) -> Extraction:
    """Extract observations, citations and tasks from report ``text``.

    Raises only ``KehoachError`` (``TextError`` for a text that is not a string); any text
    is read, what cannot be parsed is skipped."""
    return extract_lines(logical_lines(text), source, matcher, text)


def extract_file(path: str | Path, matcher: IndicatorMatcher | None = None) -> Extraction:
    """Extract from a .txt, .md or .docx file; the source is the file name."""
    path = Path(path)
    return extract_text(read_document(path), source=path.name, matcher=matcher)
