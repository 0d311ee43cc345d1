"""Which backups to keep: the newest of each of the last 7 days, 4 weeks and 12
months that have a backup (grandfather-father-son rotation); the rest can go.

Kept that way, a nightly backup gives a year of history in at most 23 files,
and a mistake found weeks later can still be undone from a backup before it.
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from facetcare.operations import archive

DAILY, WEEKLY, MONTHLY = 7, 4, 12
RETENTION = f"{DAILY} daily, {WEEKLY} weekly, {MONTHLY} monthly"


def _newest_per_period(
    ordered: Sequence[datetime], period: Callable[[datetime], Hashable], count: int
) -> set[datetime]:
    kept: dict[Hashable, datetime] = {}
    for stamp in ordered:
        if len(kept) == count and period(stamp) not in kept:
            break
        kept.setdefault(period(stamp), stamp)
    return set(kept.values())


def backups_to_keep(
    stamps: Iterable[datetime], *, daily: int = DAILY, weekly: int = WEEKLY, monthly: int = MONTHLY
) -> set[datetime]:
    """The times (aware, UTC) of the backups to keep; days, weeks and months are UTC's."""
    ordered = sorted(stamps, reverse=True)
    return (
        _newest_per_period(ordered, lambda t: t.date(), daily)
        | _newest_per_period(ordered, lambda t: t.isocalendar()[:2], weekly)
        | _newest_per_period(ordered, lambda t: (t.year, t.month), monthly)
    )


def _stamp_of(path: Path) -> datetime | None:
    name = path.name
    if not (name.startswith(archive.PREFIX) and name.endswith(archive.SUFFIX)):
        return None
    try:
        # The name's "Z" is UTC; strptime reads it as a literal letter.
        stamp = datetime.strptime(  # noqa: DTZ007
            name[len(archive.PREFIX) : -len(archive.SUFFIX)], archive.STAMP
        )
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC)


def prune_backups(*, directory: Path) -> list[Path]:
    """Delete the backups in ``directory`` beyond the retention, with their checksum
    files; the archives removed, oldest first. Other files are left alone."""
    found = {path: stamp for path in directory.iterdir() if (stamp := _stamp_of(path))}
    kept = backups_to_keep(found.values())
    removed = sorted(
        (path for path, stamp in found.items() if stamp not in kept), key=found.__getitem__
    )
    for path in removed:
        path.unlink()
        archive.checksum_path(path).unlink(missing_ok=True)
    return removed
