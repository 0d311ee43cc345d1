"""The exercise library a clinic plans from: the shipped one plus the clinic's own rows."""

from collections.abc import Iterable

from django.db.models import Q

from facetcare.core.rehab import Exercise as CoreExercise
from facetcare.core.rehab import ExerciseLibrary, LibraryError, shipped_library
from facetcare.errors import InvalidInput
from facetcare.rehab.models import Exercise


def to_core(row: Exercise) -> CoreExercise:
    """A clinic's exercise row as the planner's value; InvalidInput naming the field if the
    row does not make a valid exercise."""
    try:
        return CoreExercise(
            slug=row.slug,
            name=row.name,
            regions=frozenset(row.regions),
            phases=frozenset(int(p) for p in row.phases),
            aims=frozenset(row.aims),
            dosage=row.dosage,
            instructions=tuple(
                line.strip() for line in row.instructions.splitlines() if line.strip()
            ),
            goal_tags=frozenset(row.goal_tags),
            avoid_with=frozenset(row.avoid_with),
            progression=row.progression or None,
            regression=row.regression or None,
            equipment=tuple(row.equipment),
        )
    except (LibraryError, TypeError, ValueError) as error:
        field = getattr(error, "field", None) or "slug"
        raise InvalidInput(str(error), field=field) from None


def clinic_rows(clinic_id: int | None) -> list[Exercise]:
    """A clinic's active exercises and those offered at every clinic."""
    rows = Exercise.objects.filter(is_active=True).filter(
        Q(clinic__isnull=True) | Q(clinic_id=clinic_id)
    )
    return list(rows.order_by("name", "pk"))


def library_for(clinic_id: int | None, rows: Iterable[Exercise] | None = None) -> ExerciseLibrary:
    """The shipped library extended by the clinic's own exercises (``rows``, or read now).

    Raises InvalidInput if a clinic exercise repeats a shipped slug or names a
    progression that does not exist.
    """
    own = [to_core(row) for row in (clinic_rows(clinic_id) if rows is None else rows)]
    if not own:
        return shipped_library()
    try:
        return shipped_library().extended(own)
    except LibraryError as error:
        raise InvalidInput(error.detail, field=error.field or "slug") from None
