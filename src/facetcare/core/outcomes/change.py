"""What counts as a clinically important change, for the clinic's outcomes page.

Pain (NRS-11): a fall of at least 2 points or at least 30% from baseline
(Farrar et al., Pain 2001;94:149-58; the IMMPACT recommendations, Dworkin et
al., J Pain 2008;9:105-21, which the cervical consensus cites for its >30%
repeat-RF threshold). Function (PSFS, mean of the patient's activities, 0-10):
a rise of at least 2 points (Stratford et al., Physiotherapy Canada 1995;
47:258-63). These are published group-level thresholds, not a verdict on one
patient; the clinic's clinical safety officer owns them like RD-1's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class ChangeThresholds:
    pain_points: int = 2
    pain_percent: int = 30
    psfs_points: int = 2


DEFAULT_THRESHOLDS = ChangeThresholds()


def important_pain_change(
    baseline: int, latest: int, thresholds: ChangeThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether NRS pain fell from ``baseline`` to ``latest`` by an important amount."""
    fall = baseline - latest
    if fall >= thresholds.pain_points:
        return True
    return baseline > 0 and Fraction(fall * 100, baseline) >= thresholds.pain_percent


def important_function_change(
    baseline: float, latest: float, thresholds: ChangeThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether the PSFS mean rose from ``baseline`` to ``latest`` by an important amount."""
    return latest - baseline >= thresholds.psfs_points
