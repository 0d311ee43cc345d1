"""The SVG charts tell series apart by shape and words, and escape what people typed."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from facetcare.outcomes.charts import Bar, pain_chart_svg, psfs_chart_svg, share_bars_svg
from facetcare.outcomes.phases import PhaseBand
from facetcare.outcomes.selectors import GoalSeries, PainPoint, PainSeries, ProcedureMark

LONDON = ZoneInfo("Europe/London")


def _at(day: int) -> datetime:
    return datetime(2026, 3, day, 20, tzinfo=UTC).astimezone(LONDON)


def test_the_pain_chart_marks_sources_procedures_and_phases_without_colour() -> None:
    series = PainSeries(
        1,
        LONDON,
        [
            PainPoint(1, _at(1), 8, "NRS-11", "clinician"),
            PainPoint(2, _at(5), 3, "NRS-11", "patient"),
        ],
        [ProcedureMark(9, date(2026, 3, 2), "Facet injection C5-6")],
        [PhaseBand("Phase 1", date(2026, 3, 2), date(2026, 3, 16))],
    )
    svg = str(pain_chart_svg(series))
    assert svg.count('<rect class="marker"') == 1  # the clinician's square
    assert svg.count('<circle class="marker"') == 1  # the patient's circle
    assert "Facet injection C5-6</text>" in svg
    assert "Phase 1</text>" in svg
    assert 'role="img"' in svg
    assert '<title id="pain-title">Pain over time (NRS-11)</title>' in svg


def test_the_psfs_chart_gives_each_goal_a_shape_and_escapes_its_words() -> None:
    goals = [
        GoalSeries("reach <the> top shelf", [(_at(1), 2), (_at(20), 6)]),
        GoalSeries("play golf", [(_at(1), 1), (_at(20), 4)]),
    ]
    svg = str(psfs_chart_svg(goals))
    assert "reach &lt;the&gt; top shelf" in svg
    assert "<circle" in svg
    assert "<rect" in svg


def test_bars_write_their_share() -> None:
    svg = str(share_bars_svg([Bar("After an injection", 0.5, "1 of 2")], title="t", slug="s"))
    assert ">50%</text>" in svg
