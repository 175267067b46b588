"""Screenshots of the dashboard on the Lạng Sơn demo data → docs/screenshots/*.png.

Run: .venv/bin/python docs/make_screenshots.py   (needs /usr/bin/chromium and playwright)
It builds a throw-away demo database (``service.demo.prepare_demo``), serves it with uvicorn
on a free port, logs in as the demo admin and captures the board, an indicator chart, an
alert and a trace. Not part of the test suite (the full dataset replays in seconds, not ms).
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from service.app import create_app
from service.demo import prepare_demo
from service.settings import Settings

OUT = Path(__file__).resolve().parent / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# (file name, page, whole page or only the window — the board's window shows its top; the
# tasks-by-agency table is the board scrolled to it)
PAGES = [("board", "/", False), ("tasks-by-agency", "/#tasks-by-agency", False),
         ("tasks", "/tasks?status=overdue", False),
         ("indicator", "/indicators/budget_revenue", True),
         ("alerts", "/alerts?severity=high&state=open", True),
         ("trace", "/trace/grdp_growth@2024", True)]


def main() -> int:
    tmp = Path(tempfile.mkdtemp())
    app = create_app(Settings(db=tmp / "demo.db", as_of=date(2024, 12, 31)))
    accounts = prepare_demo(app.state.runtime.log, app.state.runtime.store)
    admin = next(a for a in accounts if a["role"] == "admin")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.set_default_timeout(120_000)
        page.goto(f"{base}/login")
        page.fill("input[name=username]", admin["username"])
        page.fill("input[name=password]", admin["password"])
        page.click("#login-submit")
        page.wait_for_url(f"{base}/")
        for name, path, whole in PAGES:
            page.goto(base + path)
            if name == "indicator":
                page.wait_for_selector("canvas.series-chart[data-ready=true]")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=whole)
            print(f"wrote {OUT / name}.png")
        browser.close()
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
