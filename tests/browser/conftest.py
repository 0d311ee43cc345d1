"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

The tests need ``/usr/bin/chromium`` (``make browser`` installs it). Without it
they fail with a message saying so: a browser test that silently skips would
let a broken page through.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.support import DESKTOP, PHONE, Steps

# Playwright's sync API runs an asyncio event loop in the test's thread, and
# Django refuses ORM calls from a thread with a running loop ("You cannot call
# this from an async context"). The tests' own ORM calls are ordinary
# synchronous code, so the guard is a false alarm here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}; "
            "run `make browser` (apt-get install chromium) and try again.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page 360 CSS pixels wide, touch-enabled, as on a small phone."""
    context = browser.new_context(
        locale="en-GB", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def steps(request: pytest.FixtureRequest) -> Steps:
    """Numbered screenshots of this test's steps under the run's artefacts folder."""
    return Steps(request.node.nodeid)
