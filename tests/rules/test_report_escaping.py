"""What a report quotes stays text (issue 13, case 8): a source quote, a task summary or an
agency name holding HTML or Markdown markup is printed as typed, never as markup, in the
Markdown report (rendered here by markdown-it, CommonMark + tables) and the HTML one."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest
from markdown_it import MarkdownIt

from kg.log import Fact, open_log
from rules.report import assemble, gather, render_text

AS_OF = date(2025, 2, 15)
HOSTILE = "<script>alert(1)</script> **đậm** [bấm](http://evil.example) `mã` | cột ~~gạch~~"


@pytest.fixture(scope="module")
def report(tmp_path_factory, langson_db):
    path = tmp_path_factory.mktemp("escaping") / "kh.db"
    shutil.copy(langson_db, path)  # data/langson loaded once per session; this one writes
    log = open_log(path)
    cited = assemble(gather(log, AS_OF), "2024")["footnotes"][0]
    fact = log.get(cited["kind"], cited["key"])
    assert fact is not None and fact.source is not None
    log.append([Fact(fact.kind, fact.key, fact.payload, replace(fact.source, quote=HOSTILE),
                     as_of=fact.as_of)])
    lagging = assemble(gather(log, AS_OF), "2024")["lagging"]
    agency = log.get("agency", lagging[0]["agency"])
    assert agency is not None
    log.append([Fact("agency", agency.key, {**agency.payload, "name": HOSTILE},
                         agency.source)])
    data = assemble(gather(log, AS_OF), "2024")
    log.close()
    return data


def test_the_hostile_text_reaches_the_report(report):
    quotes = [n["quote"] for n in report["footnotes"]]
    assert HOSTILE in quotes


def test_markdown_quotes_are_text_not_markup(report):
    md = render_text(report, "md")
    assert "<script>" not in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script>" not in html and "<strong>đậm</strong>" not in html
    assert 'href="http://evil.example"' not in html and "<code>mã</code>" not in html
    # the quote reads as typed, one footnote item, its pipe not a table column
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **đậm** [bấm](http://evil.example) `mã` | cột" \
        in html


def test_markdown_table_keeps_its_columns(report):
    md = render_text(report, "md")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "&lt;script" in line]
    html = MarkdownIt("commonmark").enable("table").render("\n".join(
        ["| TT | Chỉ tiêu | Kỳ | Trạng thái | Giải thích | Cơ quan chủ trì |",
         "|---|---|---|---|---|---|"] + rows))
    assert rows  # the agency's name sits in the lagging table's last column
    cells = ET.fromstring(f"<div>{html}</div>").findall(".//tbody/tr/td")
    assert len(cells) == 6 * len(rows)


def test_html_report_escapes_the_same_text(report):
    html = render_text(report, "html")
    assert "<script>" not in html
    root = ET.fromstring(html)
    assert any(HOSTILE in "".join(li.itertext()) for li in root.iter("li"))
