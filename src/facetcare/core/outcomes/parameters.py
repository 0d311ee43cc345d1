"""RD-1's parameters as data (``response-derivation.md`` section 9).

Every number is local policy owned by the clinic's clinical safety officer,
except the 30-day month, which comes from the policy reference. A derivation
stores ``Parameters.version`` and ``as_dict()`` beside its result, so a change
of parameters is visible on every derived fact.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

_THRESHOLD = re.compile(r"^(>=|>)(\d{1,3})$")


@dataclass(frozen=True, order=True)
class Threshold:
    """A relief threshold with its comparison: ``>=80`` is met by 80.0, ``>30`` is not
    met by 30.0 (section 2). Compared exactly, against the unrounded fraction."""

    percent: int
    inclusive: bool

    @classmethod
    def parse(cls, text: str) -> Threshold:
        """``">=80"`` or ``">30"``; ValueError for anything else."""
        found = _THRESHOLD.match(text.strip())
        if found is None or int(found.group(2)) > 100:
            raise ValueError(f"A threshold reads like '>=80' or '>30', not {text!r}")
        return cls(int(found.group(2)), found.group(1) == ">=")

    @property
    def label(self) -> str:
        return f"{'>=' if self.inclusive else '>'}{self.percent}"

    def met_by(self, relief: Fraction) -> bool:
        return relief >= self.percent if self.inclusive else relief > self.percent


@dataclass(frozen=True)
class AgentWindow:
    """A local anaesthetic's diagnostic peak window and expected duration of relief, hours."""

    peak_hours: int
    expected_hours: tuple[int, int] | None


@dataclass(frozen=True)
class Parameters:
    """The defaults are RD-1's (section 9)."""

    version: str = "RD-1 defaults 2026-01"
    # Baseline: the block's own local day (diagnostic); up to 7 local days back otherwise.
    therapeutic_baseline_lookback_days: int = 7
    diary_hours: int = 48
    agents: dict[str, AgentWindow] = field(
        default_factory=lambda: {
            "lidocaine": AgentWindow(peak_hours=4, expected_hours=(1, 4)),
            "bupivacaine": AgentWindow(peak_hours=12, expected_hours=(3, 12)),
        }
    )
    # Any other agent (or a mixture): a 12 h peak window and no expected duration.
    other_agent: AgentWindow = AgentWindow(peak_hours=12, expected_hours=None)
    agent_aliases: dict[str, str] = field(
        default_factory=lambda: {"lignocaine": "lidocaine", "xylocaine": "lidocaine"}
    )
    # Named in the injectate but not an agent whose effect is being judged.
    ignored_agents: tuple[str, ...] = ("contrast", "saline")
    min_peak_scores_for_concordance: int = 3
    diagnostic_thresholds: tuple[Threshold, ...] = (
        Threshold(80, True),
        Threshold(50, True),
        Threshold(50, False),
    )
    ignore_first_hours: int = 12
    onset_window_days_injection: int = 14
    onset_window_days_rf: int = 28
    sustained_run: int = 3
    lows_to_end: int = 2
    max_gap_days: int = 14
    duration_thresholds: tuple[Threshold, ...] = (Threshold(50, True), Threshold(30, False))
    days_per_month: int = 30

    def agent_window(self, agent: str) -> tuple[str, AgentWindow]:
        """The named agent RD-1 judges (``lidocaine``, ``bupivacaine`` or ``other``) and
        its window. A mixture of agents is ``other``: its expected duration is unknown."""
        parts = (part.strip() for part in re.split(r"[+,/;&]|\band\b", agent.lower()))
        named = {self.agent_aliases.get(part, part) for part in parts if part}
        named -= set(self.ignored_agents)
        if len(named) == 1:
            (only,) = named
            if only in self.agents:
                return only, self.agents[only]
        return "other", self.other_agent

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, thresholds as their labels."""
        values = asdict(self)
        values["diagnostic_thresholds"] = [t.label for t in self.diagnostic_thresholds]
        values["duration_thresholds"] = [t.label for t in self.duration_thresholds]
        return values


DEFAULT_PARAMETERS = Parameters()
