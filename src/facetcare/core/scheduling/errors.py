"""Errors raised by the availability engine."""


class SchedulingError(ValueError):
    """Base class of the engine's errors."""


class NaiveDatetimeError(SchedulingError):
    """A datetime without a UTC offset was given where an instant is required."""


class SlotUnavailable(SchedulingError):
    """A proposed appointment cannot be booked; ``reason`` is a stable code.

    Reasons: ``in_the_past``, ``too_short_notice``, ``beyond_horizon``,
    ``clinic_closed``, ``outside_opening_hours``, ``practitioner_not_working``,
    ``practitioner_time_off``, ``practitioner_busy``, ``no_room``, ``class_full``,
    ``misaligned``.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
