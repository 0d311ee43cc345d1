"""``facetcare policy``: checking cases from files, listing packs, and failing cleanly."""

import json
from pathlib import Path

import pytest
import yaml

from facetcare.core.policy.cli import main
from tests.core.policy.conftest import case, public_cases, public_cases_path


def test_check_prints_a_json_list_with_one_entry_per_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check", str(public_cases_path()), "--pack", "uk_nice_ng59_clinic", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [entry["id"] for entry in out][:3] == ["PC-01", "PC-03", "PC-04"]
    pc03 = out[1]
    assert set(pc03) == {"id", "decision", "deciding_rules", "rules"}
    assert (pc03["decision"], pc03["deciding_rules"]) == (
        "not_eligible",
        ["UK-GEN-05", "UK-CONS-01"],
    )
    assert {"id", "outcome", "message", "source"} <= set(pc03["rules"][0])


def test_check_explains_a_single_case_in_plain_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"id": "walk-in", "facts": case(nrs_pain=4)}))

    code = main(["check", str(path), "--pack", "uk_nice_ng59_clinic"])

    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Case walk-in: not_eligible (pack uk_nice_ng59_clinic 1.0.0)")
    assert "deciding rules: UK-GEN-04" in out
    assert "UK-GEN-04    fail -> not_eligible: Pain 4/10 (at least 5/10 required)." in out


def test_check_reads_local_packs_from_the_environment_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "strict.yaml").write_text(
        'id: strict\nversion: "1.0.0"\ntitle: Strict\nextends: uk_nice_ng59_clinic\n'
        "parameters: {min_nrs: 8}\n"
    )
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"facts": case()}))
    monkeypatch.setenv("FACETCARE_POLICY_PACK_DIR", str(tmp_path))

    assert main(["check", str(path), "--pack", "strict", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["deciding_rules"] == ["UK-GEN-04"]
    assert main(["packs"]) == 0
    assert "strict" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot be read"),
        ("facts: [unclosed", "is not valid YAML"),
        ("just text", "case 1 needs a facts mapping"),
        (yaml.safe_dump({"id": "x", "facts": case(nrs_pain="high")}), "case x: nrs_pain: "),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_code_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "case.yaml"
    if content is not None:
        path.write_text(content)

    code = main(["check", str(path), "--pack", "medicare_lcd_l38773"])

    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert str(path) in err
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_pack_exits_with_code_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump({"facts": case()}))

    assert main(["check", str(path), "--pack", "nope"]) == 2
    assert "unknown policy pack 'nope'" in capsys.readouterr().err


def test_missing_arguments_exit_with_code_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "required" in capsys.readouterr().err


def test_packs_lists_every_shipped_pack_with_its_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["packs"]) == 0
    out = capsys.readouterr().out
    assert "medicare_lcd_l38773" in out
    assert "uk_nice_ng59_clinic          1.0.0    shipped" in out


@pytest.mark.parametrize("pack", ["medicare_lcd_l38773", "uk_nice_ng59_clinic"])
def test_every_public_case_gets_its_expected_decision_through_the_cli(
    pack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", str(public_cases_path()), "--pack", pack, "--json"])

    got = {
        e["id"]: (e["decision"], e["deciding_rules"]) for e in json.loads(capsys.readouterr().out)
    }
    expected = {
        c["id"]: (c["expected"][pack]["decision"], c["expected"][pack]["reason_rules"])
        for c in public_cases()
    }
    assert code == 0
    assert got == expected
