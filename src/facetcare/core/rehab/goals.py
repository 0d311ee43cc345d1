"""Turning a patient's goals, in their own words, into goal tags the exercises serve.

A small keyword matcher, not language understanding: each tag has word stems
and phrases; a goal carries every tag one of them matches. "Turn my head to
reverse the car" gives ``turning_head`` and ``driving``; "sit through a meeting"
gives ``sitting_tolerance``; "play golf again" gives ``golf`` and ``rotation``.
A goal that matches nothing keeps no tags: the clinician sees that and picks
exercises by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

from facetcare.core.rehab.errors import PlanningError

# Each pattern is matched at a word start in the lower-cased goal; stems end
# without \b so "lift", "lifting" and "lifts" all match.
_PATTERNS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "turning_head": (
            r"turn(ing)? (my |the )?(head|neck)",
            r"look(ing)? (over|behind|round|around)",
            r"shoulder check",
            r"blind spot",
            r"head turn",
        ),
        "driving": (r"driv", r"car\b", r"revers", r"park(ing)? the", r"steer", r"commut"),
        "sitting_tolerance": (
            r"sit",
            r"meeting",
            r"cinema",
            r"theatre",
            r"flight",
            r"long journey",
            r"concert",
        ),
        "desk_work": (r"desk", r"screen", r"computer", r"laptop", r"typing", r"office"),
        "standing_tolerance": (r"stand", r"queue", r"cook", r"shopping"),
        "walking": (r"walk", r"hike", r"hiking", r"stroll", r"ramble", r"dog\b", r"shopping"),
        "lifting": (
            r"lift",
            r"carry",
            r"carrying",
            r"pick(ing)? up",
            r"grand(son|daughter|child|kid)",
            r"(my |the )?(baby|toddler|children|kids)\b",
            r"box(es)?\b",
            r"shopping bag",
        ),
        "bending": (r"bend", r"shoe", r"sock", r"floor", r"tie my", r"stoop"),
        "reaching_overhead": (
            r"reach",
            r"overhead",
            r"shel(f|ves)",
            r"cupboard",
            r"washing line",
            r"hang(ing)? (out )?(the )?washing",
            r"(brush|wash)(ing)? my hair",
        ),
        "rotation": (r"twist", r"golf", r"swing", r"tennis", r"rotat", r"squash"),
        "golf": (r"golf",),
        "running": (r"run", r"jog", r"parkrun", r"5 ?k\b", r"marathon"),
        "swimming": (r"swim",),
        "cycling": (r"cycl", r"bike", r"biking"),
        "gardening": (r"garden", r"dig", r"weed", r"mow"),
        "housework": (r"housework", r"hoover", r"vacuum", r"iron", r"clean", r"make the bed"),
        "stairs": (r"stair", r"steps\b", r"climb"),
        "sleep": (r"sleep", r"night", r"bed\b", r"lie down", r"lying down"),
        "breathing": (r"breath",),
    }
)
_COMPILED = MappingProxyType(
    {
        tag: re.compile("|".join(rf"\b(?:{p})" for p in patterns))
        for tag, patterns in _PATTERNS.items()
    }
)
MAX_GOAL_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Goal:
    """One goal in the patient's words, with the tags it was matched to."""

    text: str
    tags: frozenset[str]


def goal_tags(text: str) -> frozenset[str]:
    """The goal tags that ``text`` mentions (possibly none)."""
    lowered = " ".join(text.lower().split())
    return frozenset(tag for tag, pattern in _COMPILED.items() if pattern.search(lowered))


def read_goals(texts: Iterable[str]) -> tuple[Goal, ...]:
    """The patient's goals, trimmed, blanks and repeats dropped, each with its tags.

    Raises PlanningError (field ``goals``) for a goal longer than 200 characters.
    """
    goals: list[Goal] = []
    seen: set[str] = set()
    for raw in texts:
        text = " ".join(str(raw).split())
        if not text or text.lower() in seen:
            continue
        if len(text) > MAX_GOAL_LENGTH:
            raise PlanningError(f"Keep each goal under {MAX_GOAL_LENGTH} characters", field="goals")
        seen.add(text.lower())
        goals.append(Goal(text=text, tags=goal_tags(text)))
    return tuple(goals)
