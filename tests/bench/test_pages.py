"""The page benchmarks: which pages, timed through the real views, and their report."""

from datetime import UTC, datetime

import pytest

from facetcare.bench import pages
from facetcare.bench.dataset import DIARY_PRACTITIONERS, build_network, existing_network
from facetcare.bench.measure import Timing
from facetcare.bench.report_pages import diary_ok, public_ok, section_f
from facetcare.bench.server import HttpResult

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)  # the data set is vacuumed once loaded
def test_the_data_set_has_a_12_practitioner_clinic_beside_the_network() -> None:
    built = build_network(scale=0.0001, today=NOW.date())
    kept = existing_network()

    assert built.diary_clinic is not None
    assert kept is not None
    assert kept.diary_clinic == built.diary_clinic
    assert built.diary_clinic not in built.clinics
    assert built.diary_clinic.practitioners.count() == DIARY_PRACTITIONERS
    assert built.diary_appointments > 0
    # None of its practitioners offers the network's service: a to e do not see it.
    assert not built.diary_clinic.practitioners.filter(services=built.service).exists()


@pytest.mark.django_db(transaction=True)  # the data set is vacuumed once loaded
def test_each_page_is_timed_through_its_view_with_its_query_count() -> None:
    network = build_network(scale=0.0001, today=NOW.date())

    timings = pages.time_pages(network, now=datetime.now(UTC), runs=3)

    assert list(timings) == ["clinics", "clinics_dropped", "times", "diary"]
    assert [len(t.samples_ms) for t in timings.values()] == [20, 10, 3, 3]
    for key in ("clinics", "times", "diary"):
        first, _, then = str(timings[key].extra["queries"]).partition(" / ")
        assert int(first) >= int(then)
        assert int(first) > 0
        assert int(str(timings[key].extra["bytes"])) > 1000
    assert timings["diary"].label == "diary day view, 12 practitioners"


def _timing(key: str, label: str, ms: float) -> Timing:
    return Timing(label, [ms] * 20, extra={"key": key, "queries": "5 / 4", "bytes": 12345})


def _timings(clinics: float, times: float, diary: float) -> dict[str, Timing]:
    return {
        "clinics": _timing("clinics", "clinic list", clinics),
        "times": _timing("times", "time list", times),
        "diary": _timing("diary", "diary day view", diary),
    }


def test_public_pages_pass_only_when_both_are_within_40_ms() -> None:
    assert public_ok(_timings(39, 40, 500)) is True
    assert public_ok(_timings(41, 10, 10)) is False
    assert public_ok(None) is None


def test_the_clinic_list_with_its_snapshot_just_dropped_is_shown_but_not_judged() -> None:
    timings = _timings(30, 30, 500)
    timings["clinics_dropped"] = _timing("clinics_dropped", "clinic list, dropped", 900)

    assert public_ok(timings) is True


def test_the_diary_is_judged_on_its_own_80_ms() -> None:
    assert diary_ok(_timings(500, 500, 80)) is True
    assert diary_ok(_timings(1, 1, 81)) is False


def _run(label: str, done: int) -> HttpResult:
    return HttpResult(label, 32, 1.0, {200: done}, [5.0] * done, [], ok_status=200)


def test_section_f_gives_server_times_queries_and_each_pages_ratio_to_the_reference() -> None:
    http = {
        "rounds": {
            "reference": [_run("reference page, round 1", 2000)],
            "clinics": [_run("clinic list, round 1", 100)],
            "times": [_run("time list, round 1", 500)],
        },
        "ratios": {"clinics": 0.05, "times": 0.25},
        "labels": {"clinics": "clinic list", "times": "time list"},
        "server": "2 gthread workers x 4 threads",
    }

    timings = _timings(30, 50, 70)
    timings["clinics_dropped"] = _timing("clinics_dropped", "clinic list, dropped", 900)
    text = "\n".join(section_f(timings, http, {"times": ["```", "tree", "```"]}))

    assert "| time list | 20 | 50.00 | 50.00 | 50.00 | <= 40 ms: FAIL | 5 / 4 | 12,345 |" in text
    assert "| diary day view | 20 | 70.00 | 70.00 | 70.00 | <= 80 ms: PASS | 5 / 4 |" in text
    assert "| clinic list, dropped | 20 | 900.00 | 900.00 | 900.00 | not judged |" in text
    assert "| clinic list | 2000 | 100 | **0.050** |" in text
    assert "| time list | 2000 | 500 | **0.250** |" in text
    assert "Profile of the time list" in text
    order = [text.index(f"{label}, round 1") for label in ("reference page", "clinic list",
                                                              "time list")]  # fmt: skip
    assert order == sorted(order)
