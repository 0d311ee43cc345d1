"""A backup restored into a fresh database holds every row of the original, and a
restore refuses what it should: a damaged file, a database that is not empty."""

import io
import json
import re
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from facetcare.operations import archive
from facetcare.operations.backup import Backup, create_backup
from facetcare.operations.databases import raw_connection
from facetcare.operations.inventory import Inventory, take_inventory
from facetcare.operations.restore import RestoreMismatch, RestoreRefused, restore_backup
from tests.operations.conftest import copy_test_database_into
from tests.web.clinical_world import build_clinical_world

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)
CLINICAL_TABLES = {
    "patients_patient",
    "patients_consent",
    "booking_appointment",
    "pathway_episode",
    "pathway_assessment",
    "pathway_procedurerecord",
    "audit_recordversion",
    "audit_accesslogentry",
}


def _vendor() -> Any:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _live() -> Inventory:
    connection.ensure_connection()
    return take_inventory(connection.connection, _vendor())


def _inventory_of(entry: dict[str, Any]) -> Inventory:
    with raw_connection(entry) as restored:
        return take_inventory(restored, _vendor())


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    (root / "letters").mkdir(parents=True)
    (root / "letters" / "gp-letter.pdf").write_bytes(b"%PDF-1.7 a referral letter")
    settings.MEDIA_ROOT = str(root)
    return root


def _back_up(tmp_path: Path) -> Backup:
    build_clinical_world()
    return create_backup(output_dir=tmp_path / "backups", now=NOW)


def test_a_backup_restored_into_a_fresh_database_has_every_row_of_the_original(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    original = _live()

    restored = restore_backup(
        path=backup.path, target=fresh_database, media=tmp_path / "restored-media"
    )

    copy = _inventory_of(fresh_database)
    assert copy.row_counts == original.row_counts
    assert copy.digests == original.digests
    assert set(copy.digests) >= CLINICAL_TABLES
    assert original.row_counts["pathway_procedurerecord"] == 3
    assert original.row_counts["audit_recordversion"] > 0
    assert restored.rows == sum(original.row_counts.values())
    letter = tmp_path / "restored-media" / "letters" / "gp-letter.pdf"
    assert letter.read_bytes() == b"%PDF-1.7 a referral letter"


def test_the_backup_is_one_timestamped_archive_with_a_manifest_and_a_checksum_file(
    tmp_path: Path, media: Path
) -> None:
    backup = _back_up(tmp_path)

    assert backup.path.name == "facetcare-backup-20270112T020000Z.tar"
    with tarfile.open(backup.path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    database_file = archive.DATABASE_FILES[_vendor()]
    assert names == ["manifest.json", database_file, "media.tar.gz"]
    assert manifest["created_at"] == "2027-01-12T02:00:00+00:00"
    assert manifest["row_counts"] == _live().row_counts
    assert manifest["migrations"]["audit"] == "0003_access_log_append_only"
    assert manifest["media"] == {"file": "media.tar.gz", "files": 1}
    assert set(manifest["parts"]) == {database_file, "media.tar.gz"}
    # The checksum file is in sha256sum's own format.
    checked = subprocess.run(
        ["sha256sum", "--check", backup.checksum_path.name],  # noqa: S607
        cwd=backup.path.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_freshly_migrated_database_counts_as_empty(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    copy_test_database_into(fresh_database)  # before any data exists: a migrated, empty database
    backup = _back_up(tmp_path)

    restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "restored-media")

    assert _inventory_of(fresh_database).digests == _live().digests


def test_a_database_holding_rows_is_refused_unless_forced(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "restored-media")

    with pytest.raises(RestoreRefused, match=r"database is not empty \(\d+ tables hold rows"):
        restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "other-media")

    restore_backup(
        path=backup.path, target=fresh_database, media=tmp_path / "restored-media", force=True
    )
    assert _inventory_of(fresh_database).row_counts == _live().row_counts


def test_a_media_folder_holding_files_is_refused_unless_forced(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)

    with pytest.raises(RestoreRefused, match=r"media folder .* is not empty"):
        restore_backup(path=backup.path, target=fresh_database, media=media)

    assert _inventory_of(fresh_database).row_counts.get("patients_patient") is None


def test_a_damaged_backup_is_refused_before_anything_is_written(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    data = bytearray(backup.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.path.write_bytes(bytes(data))

    with pytest.raises(RestoreRefused, match="does not match its checksum"):
        restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "m")

    assert _inventory_of(fresh_database).row_counts == {}


def test_a_backup_without_its_checksum_file_is_refused(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    backup.checksum_path.unlink()

    with pytest.raises(RestoreRefused, match=r"No checksum file .*\.tar\.sha256"):
        restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "m")


def _rewrite_manifest(backup: Backup, change: dict[str, Any]) -> None:
    """Rebuild the archive with a changed manifest and a matching checksum file."""
    with tarfile.open(backup.path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members["manifest.json"]) | change
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(backup.path, "w") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    backup.checksum_path.write_text(f"{archive.sha256_of(backup.path)}  {backup.path.name}\n")


def test_a_restore_that_does_not_match_the_manifest_is_an_error_naming_the_table(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    claimed = backup.manifest["row_counts"] | {"patients_patient": 99}
    _rewrite_manifest(backup, {"row_counts": claimed})

    with pytest.raises(RestoreMismatch, match="patients_patient: 2 rows, the backup has 99"):
        restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "m")


def test_a_backup_from_the_other_engine_is_refused(
    tmp_path: Path, media: Path, fresh_database: dict[str, Any]
) -> None:
    backup = _back_up(tmp_path)
    other = "postgresql" if _vendor() == "sqlite" else "sqlite"
    _rewrite_manifest(backup, {"database": {"vendor": other, "file": "x"}})

    with pytest.raises(RestoreRefused, match=f"This is a {other} backup"):
        restore_backup(path=backup.path, target=fresh_database, media=tmp_path / "m")


def test_the_commands_back_up_and_refuse_to_restore_over_the_live_database(
    tmp_path: Path, media: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_clinical_world()

    call_command("backup", output=tmp_path / "backups")

    printed = capsys.readouterr().out
    assert re.search(r"Backed up \d+ rows in \d+ tables and 1 uploaded files to ", printed)
    (made,) = (tmp_path / "backups").glob("facetcare-backup-*.tar")
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(made))
