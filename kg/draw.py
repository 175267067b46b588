"""Draw a trace (sơ đồ truy nguyên) without Graphviz: DOT text written directly, and SVG from a
small pure-Python layered layout (one row per step away from the subject).

Input is what ``PlanGraph.trace`` returns: ``{subject, chain: [{id, relation, from, ...}]}``.
"""

from __future__ import annotations

from html import escape
from typing import Any

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 220, 54, 30, 70, 20


def _caption(item: dict[str, Any]) -> tuple[str, str]:
    head = item.get("number") or item.get("id") or ""
    kind = item.get("type") or item.get("kind") or ""
    return str(head), f"{kind} {item.get('date') or ''}".strip()


def _dot_quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def to_dot(trace: dict[str, Any]) -> str:
    """Graphviz DOT text of the trace; arrows point from the derived item to its basis."""
    subject = trace["subject"]
    lines = ["digraph trace {", "  rankdir=BT;", '  node [shape=box, fontname="Helvetica"];']
    for item in [subject, *trace["chain"]]:
        head, sub = _caption(item)
        label = _dot_quote(head + "\\n" + sub)
        lines.append(f"  {_dot_quote(item['id'])} [label={label}];")
    for item in trace["chain"]:
        lines.append(f"  {_dot_quote(item['from'])} -> {_dot_quote(item['id'])} "
                     f"[label={_dot_quote(item['relation'])}];")
    lines.append("}")
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


def to_svg(trace: dict[str, Any]) -> str:
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
                   f'{escape(item["relation"])}</text>')
    for node, (x, y) in pos.items():
        head, sub = _caption(items[node])
        fill = "#fde68a" if node == trace["subject"]["id"] else "#e0f2fe"
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                   f'fill="{fill}" stroke="#333"/>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 22:.0f}" font-weight="bold">'
                   f'{escape(head[:30])}</text>')
        out.append(f'<text x="{x + 8:.0f}" y="{y + 40:.0f}">{escape(sub[:34])}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
