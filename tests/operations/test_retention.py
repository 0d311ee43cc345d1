"""Backups are kept as 7 daily, 4 weekly and 12 monthly; older ones are pruned."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from facetcare.operations.retention import backups_to_keep, prune_backups


def _nightly(days: int) -> list[datetime]:
    last = datetime(2027, 12, 31, 2, 0, tzinfo=UTC)
    return [last - timedelta(days=n) for n in range(days)]


def test_a_year_of_nightly_backups_keeps_the_last_week_four_weeks_and_twelve_months() -> None:
    stamps = _nightly(400)

    kept = backups_to_keep(stamps)

    days = sorted({t.date() for t in kept}, reverse=True)
    assert days[:7] == [(stamps[0] - timedelta(days=n)).date() for n in range(7)]
    assert len({t.isocalendar()[:2] for t in kept}) >= 4
    months = sorted({(t.year, t.month) for t in kept}, reverse=True)
    assert months[:12] == [(2027, m) for m in range(12, 0, -1)]
    assert (2026, 11) not in months
    assert len(kept) <= 7 + 4 + 12


def test_the_newest_backup_of_each_month_is_the_one_kept() -> None:
    kept = backups_to_keep(_nightly(400), daily=0, weekly=0, monthly=12)

    assert datetime(2027, 1, 31, 2, 0, tzinfo=UTC) in kept
    assert datetime(2027, 1, 30, 2, 0, tzinfo=UTC) not in kept


def test_two_backups_on_one_day_count_as_that_day_once() -> None:
    morning = datetime(2027, 3, 2, 2, 0, tzinfo=UTC)
    evening = morning + timedelta(hours=18)

    assert backups_to_keep([morning, evening], daily=1, weekly=0, monthly=0) == {evening}


def test_pruning_removes_the_archives_beyond_retention_with_their_checksums_only(
    tmp_path: Path,
) -> None:
    for stamp in _nightly(40):
        name = f"facetcare-backup-{stamp:%Y%m%dT%H%M%SZ}.tar"
        (tmp_path / name).write_bytes(b"x")
        (tmp_path / f"{name}.sha256").write_text("x")
    (tmp_path / "notes.txt").write_text("keep me")

    removed = prune_backups(directory=tmp_path)

    archives = sorted(tmp_path.glob("*.tar"))
    assert len(archives) == len(backups_to_keep(_nightly(40)))
    assert len(removed) == 40 - len(archives)
    assert all(not path.exists() for path in removed)
    assert all(not Path(f"{path}.sha256").exists() for path in removed)
    assert all(Path(f"{path}.sha256").exists() for path in archives)
    assert (tmp_path / "notes.txt").exists()
    assert removed == sorted(removed)
