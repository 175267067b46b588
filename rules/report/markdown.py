"""The report as Markdown and as HTML (for the web board's "Báo cáo" page and for e-mail).

Both render the same dict as the file writers; HTML is plain markup built with ``html.escape``
(no template engine in a library package) with classes the board's stylesheet can target:
``kh-report``, ``kh-group``, ``kh-disagree``, ``kh-notes``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from rules.report.data import DISAGREE_MARK, as_of_words
from rules.report.sources import describe


def _refs(notes: list[int] | None) -> str:
    return "".join(f"[{n}]" for n in notes or [])


def _value(member: dict[str, Any], row: dict[str, Any], key: str, first: bool) -> str:
    """The text of one table cell (shared by Markdown and HTML), without note refs."""
    if key == "tt":
        return row["number"] if first else ""
    if key == "name":
        return member["label"] if first else f"- {member['label']}"
    if key in ("plan", "previous", "estimate"):
        return (member[key] or {}).get("display") or ""
    if key == "verdict":
        return member["verdict_vi"] or ""
    if key == "official":
        text = member["official"] or ""
        return f"{text} {DISAGREE_MARK}" if member["agrees"] is False else text
    return ""


def _notes_for(member: dict[str, Any], key: str) -> list[int]:
    if key in ("plan", "previous", "estimate"):
        return (member[key] or {}).get("notes", [])
    return member["official_notes"] if key == "official" else []


# --- Markdown ----------------------------------------------------------------------------

# Characters a Markdown (CommonMark/GFM) renderer would read as markup: backslash-escaped, so
# a quoted cell shows as typed and never opens emphasis, a link, code or a table column.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
# Raw HTML passes through Markdown renderers: these become entities instead.
_MD_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _md(text: Any) -> str:
    """Quoted text (a name, an explanation, a source's quote) made inert in Markdown: HTML
    characters as entities, markup characters backslash-escaped, one line."""
    plain = str(text if text is not None else "")
    plain = "".join(_MD_HTML.get(c, c) for c in plain)
    return _MD_SPECIAL.sub(r"\\\1", " ".join(plain.splitlines()))


def render_markdown(report: dict[str, Any]) -> str:
    cols = report["columns"]
    out = [f"# {_md(report['title'])}", "",
           f"*Kỳ {_md(report['period_label'])}; {_md(as_of_words(report))}.*", "",
           "## I. Các chỉ tiêu chủ yếu", "",
           "| " + " | ".join(_md(c["vi"]) for c in cols) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    for group in report["indicators"]:
        out.append(f"| **{_md(group['label'])}** | **{_md(group['title'])}** |"
                   + " |" * (len(cols) - 2))
        for row in group["rows"]:
            for i, m in enumerate(row["members"]):
                cells = [_md(_value(m, row, c["key"], i == 0)) + _refs(_notes_for(m, c["key"]))
                         for c in cols]
                out.append("| " + " | ".join(cells) + " |")
    remarks = [f"- {_md(m['name'])}: {_md(m['remark'])}" for g in report["indicators"]
               for r in g["rows"] for m in r["members"]
               if m["agrees"] is False or m["estimate_official"]]
    out += [""] + remarks + ["", "## II. Các chỉ tiêu có nguy cơ chậm, chậm tiến độ", ""]
    if report["lagging"]:
        out += ["| TT | Chỉ tiêu | Kỳ | Trạng thái | Giải thích | Cơ quan chủ trì |",
                "|---|---|---|---|---|---|"]
        out += [f"| {i} | {_md(x['name'])} | {_md(x['period'])} | {_md(x['status_vi'])} | "
                f"{_md(x['explanation'])}{_refs(x['notes'])} | "
                f"{_md(x['agency_name'] or 'Chưa xác định (' + str(x['agency_reason']) + ')')} |"
                for i, x in enumerate(report["lagging"], start=1)]
    else:
        out.append("Không có chỉ tiêu nào có nguy cơ chậm hoặc chậm tiến độ.")
    out += ["", "## III. Tình hình thực hiện nhiệm vụ", ""] + _md_tasks(report["tasks"])
    out += ["", "## Nguồn số liệu", ""]
    out += [f"{n['n']}. {_md(describe(n))}" for n in report["footnotes"]]
    return "\n".join(out) + "\n"


def _md_tasks(tasks: dict[str, Any]) -> list[str]:
    heads = ["Cơ quan chủ trì", "Tổng"] + [s["vi"] for s in tasks["states"]] + [
        b["vi"] for b in tasks["buckets"]]
    out = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    for item in tasks["by_agency"] + [tasks["totals"]]:
        values = [item["name"], item["total"]] + [item["states"][s["key"]]
                                                  for s in tasks["states"]] + [
            item["buckets"][b["key"]] for b in tasks["buckets"]]
        out.append("| " + " | ".join(_md(v) for v in values) + " |")
    out += ["", f"**Nhiệm vụ quá hạn: {len(tasks['overdue'])}**", ""]
    if tasks["overdue"]:
        out += ["| TT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn | Số ngày quá hạn |",
                "|---|---|---|---|---|"]
        out += [f"| {i} | {_md(t['summary'])}{_refs(t['notes'])} | {_md(t['agency_name'])} | "
                f"{_md(t['deadline_text'] or t['deadline'])} | {_md(t['days_overdue'])} |"
                for i, t in enumerate(tasks["overdue"], start=1)]
    return out


# --- HTML --------------------------------------------------------------------------------

def _sup(notes: list[int] | None) -> str:
    refs = ",".join(f'<a href="#kh-note-{n}">{n}</a>' for n in notes or [])
    return f"<sup>[{refs}]</sup>" if refs else ""


def _tr(cells: list[str], tag: str = "td", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<tr{attr}>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"


def render_html(report: dict[str, Any]) -> str:
    cols = report["columns"]
    parts = ['<section class="kh-report">', f"<h1>{escape(report['title'])}</h1>",
             f"<p><em>Kỳ {escape(report['period_label'])}; "
             f"{escape(as_of_words(report))}.</em></p>", "<h2>I. Các chỉ tiêu chủ yếu</h2>",
             "<table>", _tr([escape(c["vi"]) for c in cols], "th")]
    for group in report["indicators"]:
        parts.append(_tr([f"<strong>{escape(group['label'])}</strong>",
                          f"<strong>{escape(group['title'])}</strong>"]
                         + [""] * (len(cols) - 2), cls="kh-group"))
        for row in group["rows"]:
            for i, m in enumerate(row["members"]):
                cells = [escape(_value(m, row, c["key"], i == 0)) + _sup(_notes_for(m, c["key"]))
                         for c in cols]
                parts.append(_tr(cells, cls="kh-disagree" if m["agrees"] is False else ""))
    parts.append("</table>")
    remarks = [f"<li>{escape(m['name'])}: {escape(m['remark'])}</li>"
               for g in report["indicators"] for r in g["rows"] for m in r["members"]
               if m["agrees"] is False or m["estimate_official"]]
    if remarks:
        parts += ["<ul>"] + remarks + ["</ul>"]
    parts += ["<h2>II. Các chỉ tiêu có nguy cơ chậm, chậm tiến độ</h2>", "<table>",
              _tr(["TT", "Chỉ tiêu", "Kỳ", "Trạng thái", "Giải thích", "Cơ quan chủ trì"], "th")]
    parts += [_tr([str(i), escape(x["name"]), escape(x["period"]), escape(x["status_vi"]),
                   escape(x["explanation"]) + _sup(x["notes"]),
                   escape(x["agency_name"] or f"Chưa xác định ({x['agency_reason']})")])
              for i, x in enumerate(report["lagging"], start=1)]
    parts += ["</table>", "<h2>III. Tình hình thực hiện nhiệm vụ</h2>"]
    parts += _html_tasks(report["tasks"])
    parts += ['<h2>Nguồn số liệu</h2>', '<ol class="kh-notes">']
    parts += [f'<li id="kh-note-{n["n"]}">{escape(describe(n))}</li>' for n in report["footnotes"]]
    parts += ["</ol>", "</section>"]
    return "\n".join(parts) + "\n"


def _html_tasks(tasks: dict[str, Any]) -> list[str]:
    heads = ["Cơ quan chủ trì", "Tổng"] + [s["vi"] for s in tasks["states"]] + [
        b["vi"] for b in tasks["buckets"]]
    parts = ["<table>", _tr([escape(h) for h in heads], "th")]
    for item in tasks["by_agency"] + [tasks["totals"]]:
        values = [item["name"], item["total"]] + [item["states"][s["key"]]
                                                  for s in tasks["states"]] + [
            item["buckets"][b["key"]] for b in tasks["buckets"]]
        parts.append(_tr([escape(str(v)) for v in values]))
    parts += ["</table>", f"<h3>Nhiệm vụ quá hạn ({len(tasks['overdue'])})</h3>", "<table>",
              _tr(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Số ngày quá hạn"], "th")]
    parts += [_tr([str(i), escape(t["summary"] or "") + _sup(t["notes"]),
                   escape(t["agency_name"] or "—"),
                   escape(str(t["deadline_text"] or t["deadline"])), str(t["days_overdue"])])
              for i, t in enumerate(tasks["overdue"], start=1)]
    return parts + ["</table>"]
