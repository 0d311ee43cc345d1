"""The admin tests use the booking tests' one-clinic world."""

from tests.booking.conftest import world

__all__ = ["world"]
