"""Facts assembly from the clinical record reproduces a public case (PC-38) and its decision."""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from facetcare.errors import Forbidden, InvalidInput
from facetcare.pathway.facts import get_policy_decision, get_policy_facts
from facetcare.pathway.procedures import record_procedure, record_procedure_response
from tests.pathway.world import (
    PC38_ASSESSMENT,
    ClinicalWorld,
    assess,
    bare_episode,
    make_appointment,
    procedure_details,
)

CASES = Path(__file__).parents[1] / "core" / "policy" / "data" / "cases-public.yaml"


def public_case(case_id: str) -> dict[str, Any]:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    found: dict[str, Any] = next(case for case in cases if case["id"] == case_id)
    return found


def _in_house(cw: ClinicalWorld, episode: Any, day: date, **details: Any) -> Any:
    start = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return record_procedure(
        episode=episode,
        appointment=make_appointment(cw, start),
        details=procedure_details(**details),
        acting_user=cw.consultant,
    )


def build_pc38_history(cw: ClinicalWorld) -> Any:
    """PC-38's patient: two diagnostic blocks, two steroid facet injections here, and an
    epidural elsewhere (recorded in an earlier lumbar episode)."""
    episode = bare_episode(cw, "referred")
    assess(cw, episode)
    lidocaine = [{"agent": "lidocaine", "dose_mg": 10}]
    bupivacaine = [{"agent": "bupivacaine", "dose_mg": 5}]
    mbb = {"type": "mbb_diagnostic", "steroid_mg_mpde": Decimal(0)}
    for day, agent, relief in [
        (date(2025, 5, 5), lidocaine, 85),
        (date(2025, 5, 22), bupivacaine, 90),
    ]:
        block = _in_house(cw, episode, day, injectate=agent, **mbb)
        record_procedure_response(
            procedure=block, relief_percent=relief, duration_concordant_with_agent=True,
            same_pain_scale_as_baseline=True, acting_user=cw.consultant,
        )  # fmt: skip
    for day, days in [(date(2025, 7, 24), 86), (date(2025, 10, 18), 92)]:
        injection = _in_house(cw, episode, day)
        record_procedure_response(
            procedure=injection, relief_percent=70, relief_duration_days=days,
            same_pain_scale_as_baseline=True, acting_user=cw.consultant,
        )  # fmt: skip
    lumbar = bare_episode(cw, "discharged", region="lumbar", side="bilateral")
    record_procedure(
        episode=lumbar,
        performed_elsewhere="Another clinic",
        details=procedure_details(
            type="epidural_steroid", region="lumbar", levels=["L5-S1"], side="bilateral",
            injectate=[{"agent": "dexamethasone (other clinic)", "dose_mg": 6.6}],
            performed_on=date(2025, 12, 1),
        ),
        acting_user=cw.physio,
    )  # fmt: skip
    return episode


@pytest.fixture
def pc38() -> dict[str, Any]:
    return public_case("PC-38")


def test_the_facts_reproduce_public_case_pc38(cw: ClinicalWorld, pc38: dict[str, Any]) -> None:
    episode = build_pc38_history(cw)
    expected = pc38["facts"]

    facts = get_policy_facts(
        episode=episode, requested=expected["request"], acting_user=cw.consultant
    )

    for name, value in expected.items():
        if name in {"history", "request", "exam"}:
            continue
        assert facts[name] == value, name
    assert len(facts["history"]) == len(expected["history"])
    for built, case_item in zip(facts["history"], expected["history"], strict=True):
        assert {key: built.get(key) for key in case_item} == case_item
    assert facts["request"] == expected["request"]


def test_the_decision_for_pc38_refuses_a_fourth_steroid_injection_in_six_months(
    cw: ClinicalWorld, pc38: dict[str, Any]
) -> None:
    episode = build_pc38_history(cw)

    decision = get_policy_decision(
        episode=episode, requested=pc38["facts"]["request"], acting_user=cw.consultant
    )

    assert decision.decision == "not_eligible"
    assert decision.deciding_rules == ("UK-STER-01",)


def test_without_an_assessment_the_facts_say_no_red_flag_screen(cw: ClinicalWorld) -> None:
    facts = get_policy_facts(
        episode=bare_episode(cw),
        requested={"type": "mbb_diagnostic", "region": "cervical", "levels": ["C5-6"],
                   "side": "right", "date": date(2026, 1, 20)},
        acting_user=cw.physio,
    )  # fmt: skip

    assert facts["red_flags_screened"] is False
    assert facts["age"] == 52
    assert facts["request"]["date"] == "2026-01-20"


def test_it_names_a_missing_request_field(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        get_policy_facts(episode=bare_episode(cw), requested={"type": "rfa"}, acting_user=cw.physio)
    assert error.value.field == "region"


def test_a_receptionist_may_not_see_the_facts(cw: ClinicalWorld) -> None:
    with pytest.raises(Forbidden):
        get_policy_facts(
            episode=bare_episode(cw), requested=PC38_ASSESSMENT, acting_user=cw.receptionist
        )
