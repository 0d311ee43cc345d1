"""Every public case reproduces its expected decision and deciding rules under both packs."""

from typing import Any

import pytest

from facetcare.core.policy import evaluate, load_pack
from tests.core.policy.conftest import public_cases

PACKS = ("medicare_lcd_l38773", "uk_nice_ng59_clinic")
CASES = [
    pytest.param(c, pack_id, id=f"{c['id']}-{pack_id}") for c in public_cases() for pack_id in PACKS
]


@pytest.mark.parametrize(("case", "pack_id"), CASES)
def test_the_public_case_gets_its_expected_decision_and_deciding_rules(
    case: dict[str, Any], pack_id: str
) -> None:
    expected = case["expected"][pack_id]

    decision = evaluate(case["facts"], load_pack(pack_id))

    assert decision.decision == expected["decision"]
    assert list(decision.deciding_rules) == expected["reason_rules"]


def test_the_copied_public_cases_match_the_shared_ones_when_both_exist() -> None:
    from tests.core.policy.conftest import DATA, SHARED_CASES

    if not SHARED_CASES.is_file():
        assert (DATA / "cases-public.yaml").is_file()
        return
    assert (DATA / "cases-public.yaml").read_text() == SHARED_CASES.read_text()
