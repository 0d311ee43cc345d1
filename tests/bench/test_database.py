"""The bench's own database: over the local server's socket when it has one."""

import ast
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

from facetcare.bench import database, peer


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


@pytest.mark.postgres
def test_the_peer_database_is_created_by_name_when_ours_is_reached_over_the_socket(
    tmp_path: Path,
) -> None:
    import psycopg

    ours = {**settings.DATABASES["default"], "HOST": str(database.SOCKET_DIR), "PORT": ""}
    ours["NAME"] = f"{ours['NAME']}_sock"
    name = f"{ours['NAME']}_peer"
    server = {"host": "127.0.0.1", "user": "postgres", "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    try:
        described = ast.literal_eval(peer._peer_database(tmp_path, ours))

        assert (described["NAME"], described["HOST"]) == (name, str(database.SOCKET_DIR))
        with psycopg.connect(host=described["HOST"], user="postgres", dbname=name) as made:
            assert made.execute("SELECT current_database()").fetchone() == (name,)
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
