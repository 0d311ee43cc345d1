"""The booking gate: a 4th steroid injection in six months is refused unless a consultant
overrides the decision with a reason."""

from datetime import UTC, datetime
from typing import Any

import pytest

from facetcare.errors import Conflict, Forbidden, InvalidInput, PolicyRefused
from facetcare.pathway.gates import check_procedure_booking
from facetcare.pathway.models import PolicyOverride
from facetcare.pathway.procedures import record_policy_override
from facetcare.pathway.services import amend_assessment, plan_procedure
from facetcare.web.roles import Role
from tests.factories import make_clinic, make_service
from tests.pathway.test_facts import build_pc38_history, public_case
from tests.pathway.world import ClinicalWorld

# 10:00 in London (GMT in January) on PC-38's request date.
PC38_START = datetime(2026, 1, 20, 10, tzinfo=UTC)


@pytest.fixture
def episode(cw: ClinicalWorld) -> Any:
    episode = build_pc38_history(cw)
    episode.state = "procedure_considered"
    episode.save()
    request = public_case("PC-38")["facts"]["request"]
    plan = {k: v for k, v in request.items() if k not in {"type", "region", "date"}}
    return plan_procedure(episode=episode, plan=plan, acting_user=cw.consultant)


def _check(cw: ClinicalWorld, start: datetime = PC38_START, **extra: Any) -> None:
    check_procedure_booking(
        patient=cw.patient,
        service=cw.injection,
        start=start,
        acting_user=cw.receptionist,
        clinic=extra.pop("clinic", cw.clinic),
        **extra,
    )


def _override(cw: ClinicalWorld, episode: Any, reason: str, user: Any = None) -> PolicyOverride:
    request = public_case("PC-38")["facts"]["request"]
    return record_policy_override(
        episode=episode, requested=request, reason=reason, acting_user=user or cw.consultant
    )


def test_it_refuses_a_fourth_steroid_injection_in_six_months(
    cw: ClinicalWorld, episode: Any
) -> None:
    with pytest.raises(PolicyRefused) as refused:
        _check(cw)

    assert "not_eligible" in refused.value.detail
    assert "UK-STER-01" in refused.value.detail


def test_a_consultant_override_with_a_reason_allows_it(cw: ClinicalWorld, episode: Any) -> None:
    override = _override(cw, episode, "Epidural was 6.6 mg dexamethasone; benefit outweighs risk")

    _check(cw)

    assert override.overridden_decision == "not_eligible"
    assert override.deciding_rules == ["UK-STER-01"]
    assert override.procedure_type == "ia_therapeutic"


def test_an_override_without_a_reason_is_refused(cw: ClinicalWorld, episode: Any) -> None:
    with pytest.raises(InvalidInput, match="reason"):
        _override(cw, episode, "   ")

    assert not PolicyOverride.objects.exists()
    with pytest.raises(PolicyRefused):
        _check(cw)


def test_only_a_consultant_can_override(cw: ClinicalWorld, episode: Any) -> None:
    with pytest.raises(Forbidden):
        _override(cw, episode, "I think it is fine", user=cw.physio)


def test_an_override_whose_author_is_no_longer_a_consultant_does_not_count(
    cw: ClinicalWorld, episode: Any
) -> None:
    _override(cw, episode, "clinically indicated")
    cw.consultant.groups.filter(name=Role.CONSULTANT.value).delete()

    with pytest.raises(PolicyRefused):
        _check(cw)


def test_an_override_made_under_another_pack_version_does_not_count(
    cw: ClinicalWorld, episode: Any
) -> None:
    override = _override(cw, episode, "clinically indicated")
    PolicyOverride.objects.filter(pk=override.pk).update(policy_pack_version="0.0.1")

    with pytest.raises(PolicyRefused):
        _check(cw)


def test_the_window_is_counted_on_the_clinic_local_date_not_the_utc_date(
    cw: ClinicalWorld, episode: Any
) -> None:
    # 03:00 UTC on 24 January is still 23 January in New York. On the 24th the
    # injection of 24 July 2025 falls on the six-month anniversary (outside the
    # window: three sessions, allowed); on the 23rd it is inside (four, refused).
    new_york = make_clinic(time_zone="America/New_York")
    start = datetime(2026, 1, 24, 3, tzinfo=UTC)

    with pytest.raises(PolicyRefused, match="UK-STER-01"):
        _check(cw, start=start, clinic=new_york)
    _check(cw, start=start, clinic=cw.clinic)


def test_a_red_flag_decision_cannot_be_overridden(cw: ClinicalWorld, episode: Any) -> None:
    amend_assessment(
        assessment=episode.assessments.get(),
        changes={"red_flags": ["saddle_anaesthesia"]},
        reason="new symptoms at review",
        acting_user=cw.physio,
    )

    with pytest.raises(Conflict, match="red-flag"):
        _override(cw, episode, "wanted anyway")
    with pytest.raises(PolicyRefused, match="refer_urgently"):
        _check(cw)


def test_a_service_that_is_not_a_procedure_passes(cw: ClinicalWorld) -> None:
    check_procedure_booking(
        patient=cw.patient, service=make_service(), start=PC38_START, acting_user=cw.receptionist
    )


def test_a_procedure_without_an_open_episode_is_refused(cw: ClinicalWorld) -> None:
    with pytest.raises(PolicyRefused, match="open episode"):
        _check(cw)


def test_a_procedure_without_a_plan_is_refused(cw: ClinicalWorld) -> None:
    build_pc38_history(cw)

    with pytest.raises(PolicyRefused, match="procedure plan"):
        _check(cw)


def test_the_check_is_logged_against_the_booking_user(cw: ClinicalWorld, episode: Any) -> None:
    with pytest.raises(PolicyRefused):
        _check(cw)

    assert cw.patient.access_log.filter(user=cw.receptionist, object_type="policy_check").exists()
