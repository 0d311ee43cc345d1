"""The demo's outcome data, loaded through the services."""

from datetime import date, timedelta

from facetcare.demo.outcomes import load_scores
from facetcare.outcomes.models import MeasureSchedule, PainScore
from tests.outcomes.world import at_local, injection
from tests.pathway.world import ClinicalWorld


def test_the_demo_diary_follows_the_latest_injection_and_loads_once(cw: ClinicalWorld) -> None:
    procedure = injection(cw, date(2026, 3, 2))
    now = at_local(date(2026, 3, 2) + timedelta(days=30), 9)
    written = load_scores(episode=procedure.episode, physio=cw.physio, now=now)
    assert written == 1 + 14 + 2  # baseline, two weeks daily, weeks 3 and 4
    assert MeasureSchedule.objects.filter(procedure=procedure).exists()
    assert load_scores(episode=procedure.episode, physio=cw.physio, now=now) == 0
    assert PainScore.objects.count() == written
