"""Shared steps for browser tests: screenshots into the run's artefacts folder, and axe.

Screenshots go to ``$FACETCARE_TEST_ARTEFACTS`` (default ``test-artefacts/`` at the
project root), one folder per test, numbered in the order taken, so a failed run
can be read step by step.
"""

import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

ARTEFACTS = Path(os.environ.get("FACETCARE_TEST_ARTEFACTS", "test-artefacts"))
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
_axe = Axe()


class Steps:
    """Numbered full-page screenshots of one test's steps."""

    def __init__(self, test_name: str) -> None:
        self.folder = ARTEFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def shot(self, page: Page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def serious_axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    results = _axe.run(page)
    return [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]


def assert_accessible(page: Page) -> None:
    """No serious or critical axe violations; the message lists rule and elements."""
    violations = serious_axe_violations(page)
    described = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(node.get("target")) for node in v.get("nodes", [])[:5])
        for v in violations
    ]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(described)
