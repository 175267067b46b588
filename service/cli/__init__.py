"""The ``kehoach`` command line (Typer). One module per command group; see ``app.py``."""

from service.cli.app import main

__all__ = ["main"]
