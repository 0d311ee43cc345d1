"""Predicates: the small typed functions that hold the logic of each rule.

A rule in a pack names a predicate and binds its arguments, either to a pack
parameter (so a clinic can override the number) or to a literal value. A
predicate looks at the facts and returns a Check: whether the rule held, a
message a clinician can read, and the facts it used. Whether a failure means
"not eligible" or "needs more information" is the rule's business, not the
predicate's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from facetcare.core.policy.facts import Facts

REGIONS = ("cervical", "thoracic", "lumbar")


class Status(StrEnum):
    PASS = "pass"  # noqa: S105  (an outcome, not a password)
    FAIL = "fail"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Check:
    status: Status
    message: str
    facts_used: Mapping[str, Any] = field(default_factory=dict)


def passed(message: str, **facts: Any) -> Check:
    return Check(Status.PASS, message, facts)


def failed(message: str, **facts: Any) -> Check:
    return Check(Status.FAIL, message, facts)


def missing(message: str, **facts: Any) -> Check:
    return Check(Status.MISSING, message, facts)


def not_applicable(message: str, **facts: Any) -> Check:
    return Check(Status.NOT_APPLICABLE, message, facts)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_texts(value: object) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)


def _regional(check: Callable[[object], bool]) -> Callable[[object], bool]:
    def accepts(value: object) -> bool:
        if isinstance(value, Mapping):
            return all(k in REGIONS and (v is None or check(v)) for k, v in value.items())
        return value is None or check(value)

    return accepts


class Kind(StrEnum):
    """What an argument must look like; checked when a pack is loaded."""

    INTEGER = "a whole number"
    NUMBER = "a number"
    FLAG = "true or false"
    TEXT = "text"
    TEXTS = "a list of text"
    REGIONAL_NUMBER = "a number (or null), or a mapping of region to number"
    REGIONAL_FLAG = "true or false, or a mapping of region to true or false"
    CODE_MAP = "a mapping of category to a list of codes"
    GUIDANCE_MAP = "a mapping of region to a mapping of procedure family to guidance list"

    def accepts(self, value: object) -> bool:
        return _ACCEPTS[self](value)


_ACCEPTS: dict[Kind, Callable[[object], bool]] = {
    Kind.INTEGER: lambda v: isinstance(v, int) and not isinstance(v, bool),
    Kind.NUMBER: _is_number,
    Kind.FLAG: lambda v: isinstance(v, bool),
    Kind.TEXT: lambda v: isinstance(v, str),
    Kind.TEXTS: _is_texts,
    Kind.REGIONAL_NUMBER: _regional(_is_number),
    Kind.REGIONAL_FLAG: _regional(lambda v: isinstance(v, bool)),
    Kind.CODE_MAP: lambda v: isinstance(v, Mapping) and all(_is_texts(c) for c in v.values()),
    Kind.GUIDANCE_MAP: lambda v: (
        isinstance(v, Mapping)
        and all(
            isinstance(m, Mapping) and all(_is_texts(g) for g in m.values()) for m in v.values()
        )
    ),
}


class Args:
    """The resolved arguments of one rule; types were checked when the pack loaded."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self._values = values

    def raw(self, name: str) -> object:
        return self._values[name]

    def integer(self, name: str) -> int:
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def number(self, name: str) -> float:
        value = self._values[name]
        assert isinstance(value, int | float)
        return value

    def flag(self, name: str) -> bool:
        return bool(self._values[name])

    def text(self, name: str) -> str:
        return str(self._values[name])

    def texts(self, name: str) -> tuple[str, ...]:
        value = self._values[name]
        assert isinstance(value, list | tuple)
        return tuple(str(v) for v in value)

    def for_region(self, name: str, region: str) -> Any:
        """A regional argument's value for ``region`` (None when the pack gives none)."""
        value = self._values[name]
        if isinstance(value, Mapping):
            return value.get(region)
        return value

    def mapping(self, name: str) -> Mapping[str, Any]:
        value = self._values[name]
        assert isinstance(value, Mapping)
        return value


PredicateFunction = Callable[[Facts, Args], Check]


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    function: PredicateFunction
    arguments: Mapping[str, Kind]


PREDICATES: dict[str, PredicateSpec] = {}


def predicate(name: str, **arguments: Kind) -> Callable[[PredicateFunction], PredicateFunction]:
    """Register a predicate under ``name`` with the arguments a rule must bind."""

    def register(function: PredicateFunction) -> PredicateFunction:
        if name in PREDICATES:
            raise ValueError(f"predicate {name!r} registered twice")
        PREDICATES[name] = PredicateSpec(name, function, arguments)
        return function

    return register


def fmt(value: float | None) -> str:
    """A number as a clinician would write it (40, not 40.0)."""
    if value is None:
        return "not recorded"
    return str(int(value)) if float(value).is_integer() else str(value)


def meets(value: float, minimum: float, *, exclusive: bool) -> bool:
    return value > minimum if exclusive else value >= minimum


def at_least_text(minimum: float, *, exclusive: bool) -> str:
    return f"more than {fmt(minimum)}" if exclusive else f"at least {fmt(minimum)}"
