"""The bench's own database: over the local server's socket when it has one."""

from pathlib import Path

import dj_database_url
import pytest

from facetcare.bench import database


def test_the_default_database_is_reached_over_the_socket_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "SOCKET_DIR", tmp_path)
    (tmp_path / ".s.PGSQL.5432").touch()

    parts = dj_database_url.parse(database.default_url())

    assert parts["HOST"] == str(tmp_path)
    assert parts["NAME"] == "facetcare_bench"


def test_without_a_socket_it_is_tcp_to_the_loopback_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "SOCKET_DIR", tmp_path / "absent")

    parts = dj_database_url.parse(database.default_url())

    assert (parts["HOST"], parts["PORT"], parts["NAME"]) == ("127.0.0.1", 5432, "facetcare_bench")
