"""Errors raised by the policy engine.

Both carry a plain-English ``detail``; a caller shows it as is. Neither is ever
raised for a clinical outcome: a patient who does not qualify gets a Decision.
"""


class PolicyError(ValueError):
    """Base class of the engine's errors."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class FactsError(PolicyError):
    """A fact has the wrong type, an unknown value or an unreadable date.

    ``field`` is the dotted path of the offending fact (``request.date``,
    ``history.2.relief_percent``) so a form or an API can point at it.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class PackError(PolicyError):
    """A policy pack cannot be found, read or validated."""


class UnknownPack(PackError):
    """No pack has the requested id (an API answers 404 rather than 422)."""
