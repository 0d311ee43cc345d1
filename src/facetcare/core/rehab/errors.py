"""Errors raised by the programme planner."""


class RehabError(ValueError):
    """Base class of the planner's errors; ``field`` names the input at fault, if one."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class LibraryError(RehabError):
    """An exercise or a library is malformed (unknown vocabulary, dangling progression)."""


class PlanningError(RehabError):
    """A programme cannot be planned or changed as asked (unknown caution, bad dates)."""
