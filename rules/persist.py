"""Where rule outcomes are persisted (lưu kết quả luật): the outcome store (``rules.store``),
never the fact log. This module keeps the former doors' names for the callers that still use
them (``rules.replay``, the live session); new code imports ``rules.store``."""

from __future__ import annotations

from rules.store import MAX_CAUSES, kind_of, persist_changes, reconcile

__all__ = ["MAX_CAUSES", "kind_of", "persist_changes", "reconcile"]
