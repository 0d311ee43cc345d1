"""Timing the planner, for the benchmark (target: p95 at most 5 ms per programme).

``planning_calls(count)`` gives zero-argument calls that each plan one
personalised programme, varied across regions, pathways, goals and cautions,
in the shape ``facetcare.bench.measure.time_calls`` takes;
``time_planning(count)`` runs them and returns each call's milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from facetcare.core.rehab.exercises import shipped_library
from facetcare.core.rehab.planner import Programme, plan_programme
from facetcare.core.rehab.templates import all_templates

P95_TARGET_MS = 5.0

_GOALS = (
    ("Turn my head to reverse the car", "Work a full day at the screen"),
    ("Sit through a meeting",),
    ("Play golf again", "Sleep through the night"),
    ("Lift my grandson", "Walk the dog for half an hour"),
    ("Hang out the washing", "Tie my shoelaces", "Run a parkrun"),
    (),
)
_CAUTIONS = (
    (),
    ("osteoporosis",),
    ("shoulder_injury", "balance_problems"),
    ("pregnancy", "knee_pain"),
    ("dizziness_on_neck_movement", "wrist_pain", "recent_fracture"),
)


def planning_calls(count: int) -> list[Callable[[], Programme]]:
    """``count`` planning calls over every template and a spread of goals and cautions."""
    templates = all_templates()
    library = shipped_library()
    start = date(2027, 1, 4)
    return [
        partial(
            plan_programme,
            templates[i % len(templates)],
            goals=_GOALS[i % len(_GOALS)],
            cautions=_CAUTIONS[i % len(_CAUTIONS)],
            start=start + timedelta(days=i % 365),
            library=library,
        )
        for i in range(count)
    ]


def time_planning(count: int = 500) -> list[float]:
    """Milliseconds for each of ``count`` planning calls, in call order."""
    samples = []
    for call in planning_calls(count):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    """The 95th percentile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]
