"""Errors of the ontology package (the bottom layer: it cannot import ``kg.errors``).

Each error has a stable ``code`` and a Vietnamese and an English message, like
``kg.errors.KehoachError``; the CLI translates it at the edge.
"""

from __future__ import annotations


class OntologyError(Exception):
    """The ontology could not be built, written or read."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        self.code = code
        self.vi = vi
        self.en = en
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.vi} / {self.en}"
