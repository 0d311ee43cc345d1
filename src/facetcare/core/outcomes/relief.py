"""Relief of one score against the baseline (``response-derivation.md`` section 2).

``relief = (baseline - score) / baseline x 100`` is kept as an exact Fraction for
every comparison and stored to one decimal place, rounded half away from zero:
NRS 8 -> 1 is 87.5; VAS 84 -> 17 is 79.76..., stored 79.8, which fails ``>=80``
because the comparison reads the fraction, not the stored figure.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def relief_fraction(baseline: int, score: int) -> Fraction:
    """Exact percentage relief of ``score`` against ``baseline`` (> 0); negative when
    the pain is worse. ValueError for a baseline of 0 (relief from no pain is undefined)."""
    if baseline <= 0:
        raise ValueError("Relief needs a baseline above 0")
    return Fraction((baseline - score) * 100, baseline)


def round_half_away(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimals, a half rounded away from zero, computed exactly."""
    scale = 10**places
    magnitude = abs(value) * scale
    whole = int(magnitude + Fraction(1, 2))  # floor(|x| + 1/2): ties go up in magnitude
    signed = -whole if value < 0 else whole
    return Decimal(signed).scaleb(-places)


def stored_relief(value: Fraction) -> Decimal:
    """The stored and displayed relief: one decimal place, half away from zero."""
    return round_half_away(value, 1)


def stored_hours(value: Fraction) -> Decimal:
    """Elapsed hours as stored: two decimal places, half away from zero."""
    return round_half_away(value, 2)
