"""The synthetic national generator: a province generated alone is exactly its part of the
whole (the national benchmark ingests province by province and adds them up)."""

from __future__ import annotations

from bench.generate import Scale, base_facts, report_rounds


def _rows(facts: list) -> list[tuple[str, str, str]]:
    return sorted((f.kind, f.key, repr(sorted(f.payload.items()))) for f in facts)


def test_provinces_generated_alone_add_up_to_the_whole() -> None:
    scale = Scale.fraction(3, 12)
    whole = base_facts(scale, 7) + [f for _w, fs in report_rounds(scale, 7) for f in fs]
    parts = [f for p in (1, 2, 3) for f in base_facts(scale, 7, province=p)]
    parts += [f for p in (1, 2, 3) for _w, fs in report_rounds(scale, 7, province=p) for f in fs]
    assert len(whole) == len(parts) > 3 * 150 * 2
    assert _rows(whole) == _rows(parts)


def test_a_different_seed_gives_different_targets() -> None:
    scale = Scale.fraction(1, 2)
    targets = [f.payload["expression"] for f in base_facts(scale, 7) if f.kind == "target"]
    others = [f.payload["expression"] for f in base_facts(scale, 8) if f.kind == "target"]
    assert targets != others
