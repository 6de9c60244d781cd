"""Debian's headless Chromium, driven by Playwright (the ``browser`` fixture)."""

from pathlib import Path
from tests.helpers.staff import STAFF_PASSWORD

import os
import shutil


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("XINFANG_SCREENSHOTS", "/tmp/xinfang-screenshots"))


def login(page, base, user, password=STAFF_PASSWORD):
    page.goto(base + "/login")
    page.fill("#__ac_name", user)
    page.fill("#__ac_password", password)
    page.click("#buttons-login")
    page.wait_for_load_state()
