"""Draw a trace (sơ đồ truy nguyên) without Graphviz: DOT text written directly, and SVG from a
small pure-Python layered layout (one row per step away from the subject).

Input is what ``PlanGraph.trace`` returns: ``{subject, chain: [{id, relation, from, ...}]}``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from kg.wording import kind_label, relation_label, type_label, vn_date

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 220, 54, 30, 70, 20
HEAD_CHARS = 30


def _short(text: str) -> str:
    return text if len(text) <= HEAD_CHARS else text[:HEAD_CHARS - 1] + "…"


def _caption(item: dict[str, Any], lang: str = "vi") -> tuple[str, str]:
    """Two lines for a box: the number (or name) and the kind with the date, in words."""
    head = item.get("number") or item.get("name") or item.get("title") or item.get("id") or ""
    kind = (type_label(item.get("type"), lang) if item.get("kind") == "document"
            else kind_label(item.get("kind"), lang)) or item.get("type") or ""
    date = vn_date(item.get("date")) if lang != "en" else item.get("date")
    return _short(str(head)), f"{kind} {date or ''}".strip()


def _relation(item: dict[str, Any], lang: str) -> str:
    words = relation_label(item["relation"], lang)
    return words + ((" (inferred)" if lang == "en" else " (suy luận)")
                    if item.get("inferred") else "")


def _dot_quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def to_dot(trace: dict[str, Any], lang: str = "vi") -> str:
    """Graphviz DOT text of the trace; arrows point from the derived item to its basis."""
    subject = trace["subject"]
    lines = ["digraph trace {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
    for item in [subject, *trace["chain"]]:
        head, sub = _caption(item, lang)
        label = _dot_quote(head + "\\n" + sub)
        lines.append(f"  {_dot_quote(item['id'])} [label={label}];")
    for item in trace["chain"]:
        lines.append(f"  {_dot_quote(item['from'])} -> {_dot_quote(item['id'])} "
                     f"[label={_dot_quote(_relation(item, lang))}];")
    lines.append("}")
    if trace.get(f"note_{lang}"):
        lines.append(f"  ({trace[f'note_{lang}']})")
    return "\n".join(lines) + "\n"


def layers(trace: dict[str, Any]) -> list[list[str]]:
    """Node ids by distance from the subject (row 0 = the subject)."""
    depth = {trace["subject"]["id"]: 0}
    for item in trace["chain"]:  # the chain is in breadth-first order
        depth.setdefault(item["id"], depth.get(item["from"], 0) + 1)
    rows: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node, level in depth.items():
        rows[level].append(node)
    return rows


def to_svg(trace: dict[str, Any], lang: str = "vi") -> str:
    """A standalone SVG of the trace: subject at the bottom, root documents at the top."""
    rows = layers(trace)
    items = {trace["subject"]["id"]: trace["subject"],
             **{item["id"]: item for item in trace["chain"]}}
    width = MARGIN * 2 + max(len(r) for r in rows) * (BOX_W + GAP_X) - GAP_X
    height = MARGIN * 2 + len(rows) * (BOX_H + GAP_Y) - GAP_Y
    pos: dict[str, tuple[float, float]] = {}
    for level, row in enumerate(rows):
        y = height - MARGIN - BOX_H - level * (BOX_H + GAP_Y)
        offset = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) / 2
        for i, node in enumerate(row):
            pos[node] = (offset + i * (BOX_W + GAP_X), y)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           '<defs><marker id="arrow" markerWidth="10" markerHeight="7" refX="10" refY="3.5" '
           'orient="auto"><polygon points="0 0, 10 3.5, 0 7" fill="#555"/></marker></defs>']
    for item in trace["chain"]:
        (x1, y1), (x2, y2) = pos[item["from"]], pos[item["id"]]
        sx, sy, ex, ey = x1 + BOX_W / 2, y1, x2 + BOX_W / 2, y2 + BOX_H
        out.append(f'<line x1="{sx:.0f}" y1="{sy:.0f}" x2="{ex:.0f}" y2="{ey:.0f}" '
                   'stroke="#555" marker-end="url(#arrow)"/>')
        out.append(f'<text x="{(sx + ex) / 2 + 4:.0f}" y="{(sy + ey) / 2:.0f}" fill="#555">'
                   f'{escape(_relation(item, lang))}</text>')
    for node, (x, y) in pos.items():
        head, sub = _caption(items[node], lang)
        fill = "#fde68a" if node == trace["subject"]["id"] else "#e0f2fe"
        words = items[node].get(f"words_{lang}") or head
        out.append(f'<g><title>{escape(words)} [{escape(node)}]</title>')  # full words, id
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{fill}" stroke="#333"/>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 22:.0f}" font-weight="bold">'
                   f'{escape(head[:30])}</text>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 40:.0f}">{escape(sub[:34])}</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def trace_text(trace: dict[str, Any], lang: str = "vi") -> str:
    """The trace as indented text in words: each step under the item it came from, with its
    relation, its evidence sentence and, for an inferred link, the reasoning."""
    words, evidence = f"words_{lang}", "nguồn" if lang != "en" else "source"
    subject = trace["subject"]
    lines = [f"{subject.get(words) or subject['id']}  [{subject['id']}]"]
    depth = {subject["id"]: 0}
    for step in trace["chain"]:
        level = depth.setdefault(step["id"], depth.get(step["from"], 0) + 1)
        pad = "  " * level
        lines.append(f"{pad}↑ {_relation(step, lang)}: {step.get(words) or step['id']}  "
                     f"[{step['id']}]")
        source = step.get("source") or {}
        if source.get("quote") and step.get("kind") != "observation":
            where = f"{source.get('doc') or ''}"
            where += f", {'line' if lang == 'en' else 'dòng'} {source['line']}" \
                if source.get("line") else ""
            lines.append(f"{pad}    {evidence}: «{source['quote']}» ({where})")
        if step.get("inferred"):
            lines.append(f"{pad}    {'why' if lang == 'en' else 'lý do'}: "
                         f"{step.get(f'reasoning_{lang}') or ''}")
    if trace.get(f"note_{lang}"):
        lines.append(f"  ({trace[f'note_{lang}']})")
    return "\n".join(lines) + "\n"
