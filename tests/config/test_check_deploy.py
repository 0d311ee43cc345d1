"""``facetcare check --deploy`` is clean with the production settings, and those settings
turn on HTTPS-only cookies, HSTS and the HTTPS redirect."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PRODUCTION = {
    "FACETCARE_DEBUG": "false",
    "FACETCARE_SECRET_KEY": "k3A9-production-like-secret-" + "x7Qm2Lp9Zr4Tb8Vc1Nd6" * 3,
    "FACETCARE_ALLOWED_HOSTS": "clinic.example",
    "FACETCARE_CACHE_URL": "redis://127.0.0.1:6379/0",
    "FACETCARE_EMAIL_HOST": "smtp.clinic.example",
}
SETTINGS_SCRIPT = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "FACETCARE_REQUIRE_2FA")}))
"""


def run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' switch for Playwright's event loop is no deployment's.
        if not key.startswith("FACETCARE_")
        and key not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= PRODUCTION | extra
    environment |= {
        "FACETCARE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "facetcare.config.settings",
    }
    return subprocess.run(
        [sys.executable, *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return run(
        ["-m", "facetcare.cli", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **extra
    )


def test_check_deploy_finds_nothing_with_the_production_settings(tmp_path: Path) -> None:
    result = check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_two_factor_is_required_of_nobody(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, FACETCARE_REQUIRE_2FA="off")

    assert result.returncode != 0
    assert "facetcare.W001" in result.stderr + result.stdout


def test_check_deploy_warns_when_rate_limits_are_counted_per_process(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, FACETCARE_CACHE_URL="")

    assert "facetcare.W002" in result.stderr + result.stdout


def test_production_settings_are_https_only_with_two_factor_for_clinicians(
    tmp_path: Path,
) -> None:
    result = run(["-c", SETTINGS_SCRIPT], tmp_path)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])

    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "FACETCARE_REQUIRE_2FA": "clinical",
    }
