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


def register_case(page, title, received, category, grade, summary, name="王五"):
    """Fill the open registration form (one petitioner, visiting) and save it."""
    page.fill("#form-widgets-title", title)
    page.select_option("#form-widgets-channel", "visit")
    page.fill("#form-widgets-received_date", received.isoformat())
    petitioner = "input[name='form.widgets.petitioners.0.widgets.{}']"
    page.fill(petitioner.format("name"), name)
    page.fill(petitioner.format("id_number"), "110101199003074514")
    page.fill(petitioner.format("phone"), "13912345678")
    page.fill(petitioner.format("address"), "城关镇东村三组")
    page.fill("#form-widgets-people_count", "1")
    page.select_option("#form-widgets-category", category)
    page.select_option("#form-widgets-grade", grade)
    page.fill("#form-widgets-summary", summary)
    page.click("#form-buttons-save")
    page.wait_for_load_state()
