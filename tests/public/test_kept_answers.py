"""Answers kept while the directory stands are worked out once, however many ask at once."""

import threading
import time
from types import SimpleNamespace

import pytest

from facetcare.public import availability


def test_threads_asking_at_once_share_one_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = SimpleNamespace(loaded_at=time.monotonic())
    monkeypatch.setattr(availability, "current_directory", lambda: snapshot)
    calls: list[int] = []
    started = threading.Barrier(8)

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "clinic list"

    def ask(answers: list[str]) -> None:
        started.wait()
        answers.append(
            availability.kept_while_directory_stands(("test", "shared"), slow, still_good=bool)
        )

    answers: list[str] = []
    threads = [threading.Thread(target=ask, args=(answers,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert answers == ["clinic list"] * 8
    assert len(calls) == 1


def test_a_new_directory_snapshot_drops_what_was_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot = SimpleNamespace(loaded_at=time.monotonic())
    monkeypatch.setattr(availability, "current_directory", lambda: snapshot)
    values = iter(["before", "after"])

    def compute() -> str:
        return next(values)

    key = ("test", "renewed")
    assert availability.kept_while_directory_stands(key, compute, still_good=bool) == "before"
    assert availability.kept_while_directory_stands(key, compute, still_good=bool) == "before"
    snapshot.loaded_at += 10
    assert availability.kept_while_directory_stands(key, compute, still_good=bool) == "after"
