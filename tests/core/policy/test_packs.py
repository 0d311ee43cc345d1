"""Packs load, validate, extend and list; decisions serialise to the documented shape."""

from pathlib import Path

import pytest

from facetcare.core.policy import DECISIONS, PackError, evaluate, list_packs, load_pack
from tests.core.policy.conftest import public_cases

CLINIC_PACK = """
id: northside_clinic
version: "2.1.0"
title: Northside spinal clinic (NICE NG59 with a stricter steroid limit)
extends: uk_nice_ng59_clinic
parameters:
  max_steroid_spinal_sessions_6m: 2
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text)
    return path


def test_decisions_are_listed_in_precedence_order() -> None:
    assert DECISIONS == ("refer_urgently", "not_eligible", "needs_more_information", "eligible")


def test_both_shipped_packs_include_the_triage_block_first() -> None:
    for pack_id in ("medicare_lcd_l38773", "uk_nice_ng59_clinic"):
        pack = load_pack(pack_id)
        assert pack.includes == ("triage",)
        assert pack.rules[0].id == "TRI-00"
        assert "saddle_anaesthesia" in pack.red_flag_codes


def test_a_clinic_pack_extends_a_shipped_pack_and_overrides_a_parameter(tmp_path: Path) -> None:
    _write(tmp_path, "northside_clinic", CLINIC_PACK)
    pc37 = next(c for c in public_cases() if c["id"] == "PC-37")

    pack = load_pack("northside_clinic", extra_dirs=[tmp_path])
    decision = evaluate(pc37["facts"], pack)

    assert (pack.origin, pack.version, pack.extends) == ("local", "2.1.0", "uk_nice_ng59_clinic")
    assert evaluate(pc37["facts"], load_pack("uk_nice_ng59_clinic")).decision == "eligible"
    assert decision.deciding_rules == ("UK-STER-01",)
    steroid = next(r for r in decision.rules if r.id == "UK-STER-01")
    assert steroid.message.startswith(
        "3rd steroid-containing spinal injection session in 6 months (limit 2)"
    )


def test_list_packs_shows_shipped_and_local_packs_with_versions(tmp_path: Path) -> None:
    _write(tmp_path, "northside_clinic", CLINIC_PACK)

    listed = {(p.id, p.version, p.origin) for p in list_packs(extra_dirs=[tmp_path])}

    assert listed == {
        ("medicare_lcd_l38773", "1.0.0", "shipped"),
        ("uk_nice_ng59_clinic", "1.0.0", "shipped"),
        ("northside_clinic", "2.1.0", "local"),
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (CLINIC_PACK.replace('"2.1.0"', "two"), "version must look like 1.2.0"),
        (CLINIC_PACK.replace("max_steroid_spinal_sessions_6m", "max_steroids"),
         "overrides unknown parameter 'max_steroids'"),
        (CLINIC_PACK.replace(": 2\n", ": two\n"),
         "parameter 'max_steroid_spinal_sessions_6m' must be a whole number"),
        (CLINIC_PACK + "rules:\n  - {id: X-1, predicate: crystal_ball}\n",
         "rule X-1: unknown predicate 'crystal_ball'"),
        (CLINIC_PACK + "rules:\n  - {id: X-1, predicate: age_at_least, "
         "parameters: {minimum: min_years}}\n",
         "rule X-1: reads parameter 'min_years', which the pack does not define"),
        (CLINIC_PACK + "rules:\n  - {id: X-1, predicate: age_at_least}\n",
         "predicate age_at_least needs argument 'minimum'"),
        (CLINIC_PACK + "rules:\n  - {id: X-1, predicate: advisory, sources: [SRC-NOPE]}\n",
         "cites unknown source 'SRC-NOPE'"),
        (CLINIC_PACK + "rules:\n  - {id: UK-GEN-01, predicate: advisory}\n",
         "rule id UK-GEN-01 appears twice"),
        ("id: [unclosed", "is not valid YAML"),
        (CLINIC_PACK.replace("uk_nice_ng59_clinic", "nowhere_pack"),
         "unknown policy pack 'nowhere_pack'"),
    ],
)  # fmt: skip
def test_a_bad_pack_is_refused_with_a_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    _write(tmp_path, "northside_clinic", text)

    with pytest.raises(PackError) as raised:
        load_pack("northside_clinic", extra_dirs=[tmp_path])

    assert problem in str(raised.value)


def test_a_local_pack_may_not_shadow_a_shipped_one(tmp_path: Path) -> None:
    _write(tmp_path, "uk_nice_ng59_clinic", CLINIC_PACK.replace("northside_clinic", "uk_x"))

    with pytest.raises(PackError, match="is a shipped pack"):
        load_pack("uk_nice_ng59_clinic", extra_dirs=[tmp_path])


def test_an_unknown_pack_id_is_refused() -> None:
    with pytest.raises(PackError, match="unknown policy pack 'nope'"):
        load_pack("nope")


def test_a_decision_serialises_every_rule_with_its_sources_and_facts() -> None:
    pc38 = next(c for c in public_cases() if c["id"] == "PC-38")

    data = evaluate(pc38["facts"], load_pack("uk_nice_ng59_clinic"), case_id="PC-38").to_dict()

    assert set(data) == {"id", "decision", "deciding_rules", "rules", "pack"}
    assert data["pack"]["id"] == "uk_nice_ng59_clinic"
    assert data["pack"]["version"] == "1.0.0"
    steroid = next(r for r in data["rules"] if r["id"] == "UK-STER-01")
    assert {"id", "outcome", "message", "source", "facts_used"} <= set(steroid)
    assert steroid["outcome"] == "fail"
    assert steroid["decision"] == "not_eligible"
    assert steroid["source"] == ["SRC-MNT-ESI", "SRC-BIOLOGYINSIGHTS-ESI"]
    assert steroid["sources"][0]["title"].startswith("Medical News Today")
    assert steroid["facts_used"]["previous_steroid_sessions"] == [
        "2025-07-24",
        "2025-10-18",
        "2025-12-01",
    ]
    assert steroid["message"] == (
        "4th steroid-containing spinal injection session in 6 months (limit 3): previous "
        "sessions on 2025-07-24, 2025-10-18 and 2025-12-01; window 2025-07-20 (exclusive) "
        "to 2026-01-20."
    )
