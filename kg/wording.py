"""Words for what the graph holds (cách gọi cho người đọc): documents as an auditor names them
— kind, number, date, issuer, title — and relations by their Vietnamese labels (English with
``lang="en"``), taken from the ontology's own labels so the two never drift apart.

"Nghị quyết số 29/NQ-HĐND ngày 10/12/2022 của Hội đồng nhân dân tỉnh — Về kế hoạch ..." reads
where "nq-29-hdnd-2022 / Resolution / setBy" used to.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ontology.terms import CLASSES, OBJECT_PROPERTIES

# Relations the trace walks that are not ontology properties: how an observation is measured
# against a target, where a figure was reported, why an implied plan was inferred.
EXTRA_RELATIONS: dict[str, tuple[str, str]] = {
    "measuredAgainst": ("so với chỉ tiêu", "measured against"),
    "sourceDocument": ("nêu tại văn bản", "reported in"),
    "impliedBy": ("suy ra từ câu báo cáo", "implied by the report sentence"),
    "inferredPlan": ("kế hoạch năm (suy luận)", "annual plan (inferred)"),
    "usedFact": ("dựa trên dữ kiện", "based on the fact"),
    "firedRule": ("theo luật", "by the rule"),
}

KIND_WORDS: dict[str, tuple[str, str]] = {
    "target": ("chỉ tiêu kế hoạch", "target"),
    "task": ("nhiệm vụ", "task"),
    "observation": ("số liệu báo cáo", "reported figure"),
    "verdict": ("dòng đánh giá chính thức", "official verdict row"),
    "alert": ("cảnh báo", "alert"),
    "status_change": ("thay đổi trạng thái", "status change"),
    "document": ("văn bản", "document"),
    "indicator": ("chỉ tiêu", "indicator"),
    "agency": ("cơ quan", "agency"),
    "task_update": ("cập nhật nhiệm vụ", "task update"),
    "rule": ("luật", "rule"),
}


@cache
def _class_labels() -> dict[str, tuple[str, str]]:
    return {c.name: (c.vi, c.en) for c in CLASSES}


@cache
def _relation_labels() -> dict[str, tuple[str, str]]:
    return {**{p.name: (p.vi, p.en) for p in OBJECT_PROPERTIES}, **EXTRA_RELATIONS}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def relation_label(name: str, lang: str = "vi") -> str:
    """A relation's label ("do văn bản giao" / "assigned by"); the name itself if unknown."""
    pair = _relation_labels().get(name)
    return _pick(pair, lang) if pair else name


def type_label(name: str | None, lang: str = "vi") -> str | None:
    """An ontology class's label ("Nghị quyết" / "Resolution")."""
    pair = _class_labels().get(name or "")
    return _pick(pair, lang) if pair else name


def kind_label(kind: str | None, lang: str = "vi") -> str | None:
    pair = KIND_WORDS.get(kind or "")
    return _pick(pair, lang) if pair else kind


def vn_date(iso: str | None) -> str | None:
    """2022-12-10 → 10/12/2022 (dates as Vietnamese write them)."""
    if not iso or len(iso) < 10 or iso[4] != "-":
        return iso
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def plan_words(expression: Any, unit: Any) -> str:
    """A target as people write it: its expression and unit, the "%" said once ("trên 95%"
    with unit "% kế hoạch" → "trên 95% kế hoạch", never "trên 95% % kế hoạch")."""
    text, unit_text = str(expression or "").strip(), str(unit or "").strip()
    if text.endswith("%") and unit_text.startswith("%"):
        unit_text = unit_text[1:].strip()
    if text.endswith("trở lên") or text.endswith("trở xuống"):  # "từ 5% trở lên": unit inside
        return text if "%" in text or not unit_text else f"{text} ({unit_text})"
    if unit_text == "%" and not text.endswith("%"):
        return f"{text}%"  # "trên 90%", "7 - 7,5%": the sign is written against the figure
    return f"{text} {unit_text}".strip()


def document_words(info: dict[str, Any], lang: str = "vi") -> str:
    """A document as an auditor names it: kind, number, date, issuer, then the title.

    ``info`` is ``PlanGraph.document_info``'s dict (type, number, date, issuer, title, id)."""
    kind = type_label(info.get("type"), lang) if info.get("type") not in (
        None, "LegalDocument") else None
    kind = kind or ("Văn bản" if lang != "en" else "Document")
    issuer = (info.get("issuer") or {}).get("name")
    if lang == "en":
        words = kind + (f" No. {info['number']}" if info.get("number") else "")
        words += f" of {vn_date(info['date'])}" if info.get("date") else ""
        words += f" by {issuer}" if issuer else ""
    else:
        words = kind + (f" số {info['number']}" if info.get("number") else "")
        words += f" ngày {vn_date(info['date'])}" if info.get("date") else ""
        words += f" của {issuer}" if issuer else ""
    title = info.get("title")
    if title and title != info.get("number"):
        words += f" — {title}"
    return words


def item_words(info: dict[str, Any], lang: str = "vi") -> str:
    """Any trace item in words: documents as above, others as "kind: name"."""
    if info.get("kind") == "document":
        return document_words(info, lang)
    kind = kind_label(info.get("kind"), lang)
    name = info.get("name") or info.get("title") or info.get("id")
    source = info.get("source") or {}
    if name == info.get("id") and source.get("quote"):  # a figure is named by its sentence
        where = source.get("doc") or ""
        if source.get("line"):
            where += f", {'line' if lang == 'en' else 'dòng'} {source['line']}"
        name = f"«{source['quote']}» ({where})" if where else f"«{source['quote']}»"
    return f"{kind[0].upper()}{kind[1:]}: {name}" if kind else str(name)
