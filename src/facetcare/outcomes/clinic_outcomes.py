"""The clinic's outcomes: change in pain and function by pathway, the share reaching a
clinically important change, and the share of patients who avoided an injection.

What it aggregates, and how (two SQL queries, whatever the number of patients):

1. One row per episode, annotated in SQL: its pathway (``post_injection`` when the
   episode holds a facet injection, block or RF, else ``conservative``), its first
   and latest NRS-11 pain score and its first and latest PSFS mean (correlated
   subqueries on the (episode, recorded_at) indexes). These rows are grouped by
   pathway and aggregated in the same statement: how many episodes have a first
   and a later score, the mean change, and how many changed importantly
   (``Count(filter=...)``).
2. Discharged episodes: how many, and how many without any procedure recorded
   (``NOT EXISTS``): "avoided an injection".

Clinically important change (``core.outcomes.change``): pain down at least 2
points or at least 30% (Farrar et al. 2001; IMMPACT, Dworkin et al. 2008);
PSFS mean up at least 2 points (Stratford et al. 1995).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from facetcare.audit.actors import Actor
from facetcare.core.outcomes.change import DEFAULT_THRESHOLDS as CHANGE
from facetcare.core.outcomes.types import FACET_TYPES
from facetcare.outcomes.models import PainScore, QuestionnaireResponse
from facetcare.outcomes.questionnaires import PSFS_CODE
from facetcare.pathway.access import CLINICAL_READERS, require_role
from facetcare.pathway.models import Episode, ProcedureRecord

PATHWAYS = {"post_injection": "After an injection", "conservative": "Conservative care"}


@dataclass(frozen=True)
class PathwayOutcome:
    pathway: str
    label: str
    pain_episodes: int
    pain_change: Decimal | None  # mean fall, points (positive is better)
    pain_important: int
    function_episodes: int
    function_change: Decimal | None  # mean rise of the PSFS mean
    function_important: int

    @property
    def pain_share(self) -> float | None:
        return self.pain_important / self.pain_episodes if self.pain_episodes else None

    @property
    def function_share(self) -> float | None:
        return self.function_important / self.function_episodes if self.function_episodes else None


@dataclass(frozen=True)
class ClinicOutcomes:
    pathways: list[PathwayOutcome]
    discharged: int
    avoided_injection: int

    @property
    def avoided_share(self) -> float | None:
        return self.avoided_injection / self.discharged if self.discharged else None


def _first_and_last(queryset: QuerySet[Any], field: str, at: str) -> QuerySet[Any]:
    """Episodes with their first and latest ``field`` (ordered by ``at``) in SQL."""
    mine = queryset.filter(episode=OuterRef("pk"))
    first, last = mine.order_by(at, "pk"), mine.order_by(f"-{at}", "-pk")
    episodes: QuerySet[Any] = _episodes()
    annotated: QuerySet[Any] = episodes.annotate(
        first_value=Subquery(first.values(field)[:1]),
        first_at=Subquery(first.values(at)[:1]),
        last_value=Subquery(last.values(field)[:1]),
        last_at=Subquery(last.values(at)[:1]),
    )
    return annotated


def _episodes() -> QuerySet[Episode]:
    injected = ProcedureRecord.objects.filter(episode=OuterRef("pk"), type__in=FACET_TYPES)
    return Episode.objects.annotate(
        pathway=Case(
            When(Exists(injected), then=Value("post_injection")),
            default=Value("conservative"),
            output_field=CharField(),
        )
    )


def _pain_by_pathway() -> dict[str, dict[str, Any]]:
    scores = PainScore.objects.filter(scale=PainScore.Scale.NRS_11)
    rows = (
        _first_and_last(scores, "value", "recorded_at")
        .filter(last_at__gt=F("first_at"))
        .annotate(fall=F("first_value") - F("last_value"))
        .values("pathway")
        .annotate(
            episodes=Count("pk"),
            change=Avg("fall"),
            important=Count(
                "pk",
                filter=Q(fall__gte=CHANGE.pain_points)
                | Q(fall__gte=F("first_value") * CHANGE.pain_percent / 100.0),
            ),
        )
        .order_by()
    )
    return {row["pathway"]: row for row in rows}


def _function_by_pathway() -> dict[str, dict[str, Any]]:
    psfs = QuestionnaireResponse.objects.filter(instrument__code=PSFS_CODE, total__isnull=False)
    rows = (
        _first_and_last(psfs, "total", "answered_at")
        .filter(last_at__gt=F("first_at"))
        .annotate(rise=F("last_value") - F("first_value"))
        .values("pathway")
        .annotate(
            episodes=Count("pk"),
            change=Avg("rise"),
            important=Count("pk", filter=Q(rise__gte=CHANGE.psfs_points)),
        )
        .order_by()
    )
    return {row["pathway"]: row for row in rows}


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def get_clinic_outcomes(*, acting_user: Actor) -> ClinicOutcomes:
    """The outcomes of every episode (clinicians and managers; no patient is named)."""
    require_role(acting_user, *CLINICAL_READERS, doing="see the clinic's outcomes")
    pain, function = _pain_by_pathway(), _function_by_pathway()
    outcomes = []
    for key, label in PATHWAYS.items():
        p, f = pain.get(key, {}), function.get(key, {})
        outcomes.append(
            PathwayOutcome(
                key,
                label,
                int(p.get("episodes", 0)),
                _decimal(p.get("change")),
                int(p.get("important", 0)),
                int(f.get("episodes", 0)),
                _decimal(f.get("change")),
                int(f.get("important", 0)),
            )
        )
    any_procedure = ProcedureRecord.objects.filter(episode=OuterRef("pk"))
    closed = Episode.objects.filter(state=Episode.State.DISCHARGED).aggregate(
        discharged=Count("pk"), avoided=Count("pk", filter=~Exists(any_procedure))
    )
    return ClinicOutcomes(outcomes, closed["discharged"], closed["avoided"])
