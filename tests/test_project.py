"""Project-level guarantees: migrations match the models, the core stays pure."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_do_not_drift() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_the_core_imports_without_django() -> None:
    code = (
        "import sys, facetcare.core.scheduling.slots, facetcare.core.scheduling.types;"
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
