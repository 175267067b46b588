"""Targets stated by plans, resolutions and decisions (chỉ tiêu, mục tiêu kế hoạch).

``targets_in(lines, period)`` reads target sentences ("phấn đấu đạt", "trên 90%") and target
tables by year into ``Target`` rows, each with its line and verbatim quote.
"""

from __future__ import annotations

from kg.extract.model import Target
from kg.extract.text import LogicalLine
from kg.notation import Period


def targets_in(lines: list[LogicalLine], period: Period | None) -> list[Target]:
    """The targets stated in ``lines``; ``period`` is the document's own period, if any."""
    return []
