"""Targets h to j: their report sections, and the care data set at a tiny scale."""

import pytest
from django.db import connection
from django.utils import timezone

from facetcare.bench import care
from facetcare.bench.care import CareData
from facetcare.bench.dataset import build_network
from facetcare.bench.measure import Timing
from facetcare.bench.report_care import (
    HEADINGS,
    CareResults,
    data_set,
    elide_subplans,
    sections,
    verdicts,
)
from facetcare.outcomes.models import DueMeasure, PainScore
from facetcare.portal.models import PortalAccount
from facetcare.rehab.models import Programme, ProgrammeExercise


def _timing(label: str, ms: float, **extra: object) -> Timing:
    return Timing(label, [ms] * 20, extra=dict(extra))


def _results(
    *, plan_ms: float = 0.4, today_ms: float = 20.0, clinic_ms: float = 120.0
) -> CareResults:
    data = CareData(
        patients=100_000,
        score_rows=73_000_000,
        rows={"outcomes_painscore": 73_000_000},
        steps={"pain scores (730 days each)": 200.0},
        build_seconds=612.5,
    )
    return CareResults(
        data=data,
        planning=_timing("plan one personalised programme", plan_ms),
        today=_timing("Today page, a random patient", today_ms, queries=19, bytes=10_075),
        clinic=_timing("clinic outcomes page", clinic_ms, queries=7, bytes=5_736),
        plan_text="GroupAggregate (actual rows=2 loops=1)",
    )


def test_each_target_passes_within_its_limit_and_fails_beyond_it() -> None:
    assert verdicts(_results()) == {"h": True, "i": True, "j": True}
    slow = _results(plan_ms=6, today_ms=41, clinic_ms=2_400)
    assert verdicts(slow) == {"h": False, "i": False, "j": False}


def test_targets_not_measured_have_no_verdict() -> None:
    assert verdicts(None) == {"h": None, "i": None, "j": None}


def test_the_sections_give_each_page_its_figures_and_query_count() -> None:
    text = "\n".join(sections(_results(clinic_ms=2_400)))
    for heading in HEADINGS:
        assert heading in text
    assert (
        "| Today page, a random patient | 20 | 20.00 | 20.00 | 20.00 | <= 40 ms: PASS | 19 |"
        in text
    )
    assert (
        "| clinic outcomes page | 20 | 2400.00 | 2400.00 | 2400.00 | <= 300 ms: FAIL | 7 |" in text
    )
    assert "SQL aggregates, no Python loop" in text
    assert "GroupAggregate" in text


def test_the_data_set_paragraph_gives_the_build_time_and_the_score_rows() -> None:
    text = "\n".join(data_set(_results()))
    assert "**612.5 s**" in text
    assert "73,000,000 score rows" in text
    assert data_set(None) == []


def test_a_run_without_the_care_targets_says_so_under_each_heading() -> None:
    text = "\n".join(sections(None))
    assert text.count("Not measured in this run.") == 3


def test_the_plan_outline_keeps_each_subplans_first_node_only() -> None:
    plan = "\n".join([
        "Aggregate (actual rows=1 loops=1)",
        "  SubPlan 1",
        "    ->  Limit (actual rows=1 loops=10)",
        "          ->  Index Scan using pain_episode_at on outcomes_painscore",
        "Execution Time: 1.0 ms",
    ])  # fmt: skip
    outline = elide_subplans(plan)
    assert "Index Scan" not in outline
    assert "SubPlan 1" in outline
    assert "Limit (actual rows=1 loops=10)" in outline
    assert outline.endswith("Execution Time: 1.0 ms")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_care_data_set_gives_every_patient_a_programme_a_schedule_and_daily_scores() -> None:
    today = timezone.now().date()
    network = build_network(scale=0.002, today=today)
    data = care.build_care(network, scale=0.002, today=today)
    assert data.patients == 200
    assert PainScore.objects.count() == data.score_rows == 200 * care.SCORE_DAYS
    assert Programme.objects.count() == 200
    assert PortalAccount.objects.count() == 200
    active = Programme.objects.filter(status=Programme.Status.ACTIVE)
    assert active.count() == 180  # one episode in ten is discharged
    assert ProgrammeExercise.objects.filter(phase__programme__in=active).exists()
    # Every patient has a schedule's due measures, some of them due today.
    assert DueMeasure.objects.values("patient").distinct().count() == 200
    assert DueMeasure.objects.filter(due_on__lte=today, closes_on__gte=today).exists()
    # The score table got its indexes back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'outcomes_painscore'")
        assert cursor.fetchone()[0] >= 3
    assert len(data.portal_users) == 180
