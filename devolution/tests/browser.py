"""Real-browser testing: Debian's Chromium driven by Playwright against pytest-django's live
server holding the registry fixtures. Screenshots go to test-artifacts/."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from devolution.registry_fixtures import load_registry_fixtures

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def site(live_server):
    load_registry_fixtures()
    return live_server.url


@pytest.fixture
def page(site, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixture
    # teardown would otherwise refuse to run next to it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert Path(CHROMIUM).exists(), "Chromium missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            accept_downloads=True, locale="zh-CN", viewport={"width": 1200, "height": 900}
        )
        yield context.new_page()
        context.close()
        browser.close()
        # ORM calls made beside Playwright's loop got their own connection (asgiref keeps them
        # per context); close it, or PostgreSQL refuses to drop the test database.
        connections.close_all()


def screenshot(page, name, full_page=True):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def log_in(page, site, username, password):
    """Log in to the admin as `username`, from a fresh session."""
    page.context.clear_cookies()
    page.goto(site + "/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#site-name")).to_have_text("盘山县赋权事项登记系统")
