"""Exercises, their dosage, and the library the planner chooses from.

The shipped library (``library.yaml`` beside this module) is FacetCare's own:
names and plain-language steps written for our patients. A clinic adds its own
exercises by extending a library (``ExerciseLibrary.extended``); their slugs may
not clash with the shipped ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from facetcare.core.rehab.errors import LibraryError, RehabError
from facetcare.core.rehab.vocabulary import CAUTIONS, GOAL_TAGS, PHASES, Aim, Region

LIBRARY_FILE = Path(__file__).parent / "library.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Bounds a dose must keep; a clinician's edit outside them is a typing slip, not a plan.
DOSAGE_BOUNDS = MappingProxyType(
    {
        "sets": (1, 10),
        "reps": (1, 50),
        "hold_seconds": (1, 300),
        "minutes": (1, 120),
        "per_day": (1, 12),
        "per_week": (1, 7),
    }
)


class InvalidDosage(RehabError):
    """A dose is out of bounds or incomplete; ``field`` names the value at fault."""


@dataclass(frozen=True, slots=True)
class Dosage:
    """How much of an exercise, and how often.

    ``sets`` of ``reps`` repetitions, each held ``hold_seconds``, or ``minutes``
    of continuous activity; at least one of reps, hold and minutes is given.
    Exactly one of ``per_day`` and ``per_week`` says how often. Raises
    InvalidDosage naming the field for a value outside ``DOSAGE_BOUNDS``.
    """

    sets: int = 1
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_day: int | None = None
    per_week: int | None = None

    def __post_init__(self) -> None:
        for name, (low, high) in DOSAGE_BOUNDS.items():
            value = getattr(self, name)
            if value is None and name != "sets":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InvalidDosage(
                    f"{name} must be a whole number from {low} to {high}", field=name
                )
        if self.reps is None and self.hold_seconds is None and self.minutes is None:
            raise InvalidDosage("Give repetitions, a hold time or minutes", field="reps")
        if (self.per_day is None) == (self.per_week is None):
            raise InvalidDosage("Give how often: times a day or times a week", field="per_day")

    def describe(self) -> str:
        """The dose in plain words: '2 sets of 10, hold 5 seconds, 3 times a day'."""
        amount = []
        if self.reps is not None:
            amount.append(f"{self.sets} set{_s(self.sets)} of {self.reps}")
        elif self.sets > 1:
            amount.append(f"{self.sets} times")
        if self.hold_seconds is not None:
            amount.append(f"hold {self.hold_seconds} second{_s(self.hold_seconds)}")
        if self.minutes is not None:
            amount.append(f"{self.minutes} minute{_s(self.minutes)}")
        return ", ".join([*amount, self.frequency()])

    def frequency(self) -> str:
        """How often, in plain words: 'once a day', '3 times a week'."""
        count, unit = (self.per_day, "day") if self.per_day is not None else (self.per_week, "week")
        if count == 1:
            return f"once a {unit}"
        if count == 2:
            return f"twice a {unit}"
        return f"{count} times a {unit}"

    def as_dict(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in DOSAGE_BOUNDS}


def _s(count: int) -> str:
    return "" if count == 1 else "s"


@dataclass(frozen=True, slots=True)
class Exercise:
    """One exercise: where and when it suits, what it is for, how to do it, and when not to.

    ``regions`` holding ``Region.GENERAL`` suits a programme for any region.
    ``phases`` are the phase numbers it suits; ``avoid_with`` the cautions that
    rule it out; ``goal_tags`` the patient goals it serves; ``progression`` and
    ``regression`` the slugs of the next harder and easier exercise. Raises
    LibraryError for unknown vocabulary or a malformed slug.
    """

    slug: str
    name: str
    regions: frozenset[Region]
    phases: frozenset[int]
    aims: frozenset[Aim]
    dosage: Dosage
    instructions: tuple[str, ...]
    goal_tags: frozenset[str] = frozenset()
    avoid_with: frozenset[str] = frozenset()
    progression: str | None = None
    regression: str | None = None
    equipment: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"exercise {self.slug!r}"
        _coerce(self, where, "regions", Region)
        _coerce(self, where, "aims", Aim)
        if not SLUG.match(self.slug):
            raise LibraryError(f"{where}: slugs are lower-case words joined by '-'", field="slug")
        if not self.name.strip():
            raise LibraryError(f"{where}: give it a name", field="name")
        if not self.regions or not all(isinstance(r, Region) for r in self.regions):
            raise LibraryError(f"{where}: give at least one known region", field="regions")
        if not self.phases or not self.phases <= frozenset(PHASES):
            raise LibraryError(f"{where}: phases are drawn from 1 to 4", field="phases")
        if not self.aims or not all(isinstance(a, Aim) for a in self.aims):
            raise LibraryError(f"{where}: give at least one known aim", field="aims")
        if not self.instructions or not all(step.strip() for step in self.instructions):
            raise LibraryError(f"{where}: write the steps", field="instructions")
        _known(where, self.goal_tags, GOAL_TAGS, "goal_tags")
        _known(where, self.avoid_with, CAUTIONS, "avoid_with")
        for name in ("progression", "regression"):
            target = getattr(self, name)
            if target is not None and (target == self.slug or not SLUG.match(target)):
                raise LibraryError(f"{where}: {name} must name another exercise", field=name)

    def unsuitable_because(
        self, region: Region, phase: int, cautions: frozenset[str]
    ) -> tuple[str, ...]:
        """Why this exercise does not suit (region, phase, cautions); empty if it does."""
        reasons = []
        if region not in self.regions and Region.GENERAL not in self.regions:
            reasons.append(f"not an exercise for the {region.value} spine")
        if phase not in self.phases:
            reasons.append(f"not for phase {phase}")
        clashes = sorted(self.avoid_with & cautions)
        if clashes:
            reasons.append("to be avoided with " + ", ".join(CAUTIONS[c].lower() for c in clashes))
        return tuple(reasons)

    def suits(self, region: Region, phase: int, cautions: frozenset[str]) -> bool:
        """Whether the exercise fits the region and phase and no caution rules it out."""
        return (
            (region in self.regions or Region.GENERAL in self.regions)
            and phase in self.phases
            and not self.avoid_with & cautions
        )


def _coerce(exercise: Exercise, where: str, name: str, kind: type[Region] | type[Aim]) -> None:
    """Turn plain strings (an app's stored values) into the vocabulary's members."""
    try:
        values = frozenset(kind(value) for value in getattr(exercise, name))
    except ValueError as error:
        raise LibraryError(f"{where}: {error}", field=name) from None
    object.__setattr__(exercise, name, values)


def _known(where: str, values: frozenset[str], vocabulary: Mapping[str, str], name: str) -> None:
    unknown = sorted(values - vocabulary.keys())
    if unknown:
        raise LibraryError(f"{where}: unknown {name} {', '.join(unknown)}", field=name)


@dataclass(frozen=True)
class ExerciseLibrary:
    """Exercises by slug, in the order given (the planner's last tie-break).

    Slugs are unique, and every progression and regression names an exercise in
    the library; LibraryError otherwise.
    """

    exercises: tuple[Exercise, ...]
    _by_slug: Mapping[str, Exercise] = field(init=False, repr=False, compare=False)
    _rank: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_slug: dict[str, Exercise] = {}
        for exercise in self.exercises:
            if exercise.slug in by_slug:
                raise LibraryError(f"Two exercises share the slug {exercise.slug!r}", field="slug")
            by_slug[exercise.slug] = exercise
        for exercise in self.exercises:
            for name in ("progression", "regression"):
                target = getattr(exercise, name)
                if target is not None and target not in by_slug:
                    raise LibraryError(
                        f"exercise {exercise.slug!r}: {name} {target!r} is not in the library",
                        field=name,
                    )
        object.__setattr__(self, "_by_slug", MappingProxyType(by_slug))
        ranks = {exercise.slug: index for index, exercise in enumerate(self.exercises)}
        object.__setattr__(self, "_rank", MappingProxyType(ranks))

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, slug: object) -> bool:
        return slug in self._by_slug

    def get(self, slug: str) -> Exercise:
        """The exercise with ``slug``; LibraryError (field ``exercise``) if there is none."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise LibraryError(f"No exercise {slug!r} in the library", field="exercise") from None

    def rank(self, slug: str) -> int:
        """The exercise's position in the library (earlier is preferred on a tie)."""
        return self._rank[slug]

    def extended(self, extra: Iterable[Exercise]) -> ExerciseLibrary:
        """This library followed by ``extra`` (a clinic's own exercises)."""
        return ExerciseLibrary((*self.exercises, *extra))

    def suitable(
        self, region: Region, phase: int, cautions: frozenset[str]
    ) -> tuple[Exercise, ...]:
        """The exercises that suit (region, phase, cautions), in library order."""
        return tuple(e for e in self.exercises if e.suits(region, phase, cautions))


def exercise_from_mapping(data: Mapping[str, Any]) -> Exercise:
    """An Exercise from its YAML form (lists for sets, ``steps`` for the instructions).

    Raises LibraryError naming the exercise for a missing key or a bad value.
    """
    slug = str(data.get("slug", ""))
    try:
        return Exercise(
            slug=slug,
            name=str(data["name"]),
            regions=frozenset(Region(value) for value in data["regions"]),
            phases=frozenset(int(value) for value in data["phases"]),
            aims=frozenset(Aim(value) for value in data["aims"]),
            dosage=Dosage(**data["dosage"]),
            instructions=tuple(str(step) for step in data["steps"]),
            goal_tags=frozenset(data.get("goals") or ()),
            avoid_with=frozenset(data.get("avoid_with") or ()),
            progression=data.get("progression"),
            regression=data.get("regression"),
            equipment=tuple(data.get("equipment") or ()),
        )
    except KeyError as missing:
        raise LibraryError(f"exercise {slug!r}: missing {missing}") from None
    except (TypeError, ValueError) as error:
        detail = error.detail if isinstance(error, RehabError) else str(error)
        field_name = error.field if isinstance(error, RehabError) else None
        raise LibraryError(f"exercise {slug!r}: {detail}", field=field_name) from None


@cache
def shipped_library() -> ExerciseLibrary:
    """FacetCare's own exercise library, read once from ``library.yaml``."""
    with LIBRARY_FILE.open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)
    return ExerciseLibrary(tuple(exercise_from_mapping(row) for row in rows))
