"""Admin: a clinic's own exercises are written here; programmes are read-only.

A clinic exercise is checked by the planner's own rules before it is saved
(known regions, aims and cautions, a valid dose, a slug no shipped exercise
uses, progressions that exist), so a saved one can always be planned with.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from facetcare.core.rehab import shipped_library
from facetcare.errors import InvalidInput
from facetcare.pathway.admin import ClinicalRecordAdmin
from facetcare.rehab.library import clinic_rows, library_for, to_core
from facetcare.rehab.models import Exercise, ExerciseLog, Programme, ProgrammePhase


class ClinicExerciseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Exercise
        fields = [
            "clinic", "slug", "name", "regions", "phases", "aims", "sets", "reps",
            "hold_seconds", "minutes", "per_day", "per_week", "goal_tags", "avoid_with",
            "progression", "regression", "equipment", "instructions", "is_active",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        row = self.instance
        for name, value in cleaned.items():
            setattr(row, name, value)
        try:
            if row.slug in shipped_library():
                raise InvalidInput("A shipped exercise already uses this slug", field="slug")
            others = [r for r in clinic_rows(row.clinic_id) if r.pk != row.pk]
            library_for(row.clinic_id, [*others, row])
            to_core(row)
        except InvalidInput as error:
            field = error.field if error.field in self.fields else None
            raise ValidationError({field: error.detail} if field else error.detail) from None
        return cleaned


@admin.register(Exercise)
class ClinicExerciseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ClinicExerciseForm
    list_display = ["name", "slug", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]
    search_fields = ["name", "slug"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Programmes refer to it: retire it with "is active" instead.
        return False

    def save_model(self, request: HttpRequest, obj: Exercise, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Programme)
class ProgrammeAdmin(ClinicalRecordAdmin):
    list_display = ["patient", "region", "pathway", "started_on", "current_phase", "status"]
    list_filter = ["region", "pathway", "status"]
    readonly_fields = ["history"]


@admin.register(ProgrammePhase)
class ProgrammePhaseAdmin(ClinicalRecordAdmin):
    list_display = ["programme", "number", "planned_start", "actual_start"]
    readonly_fields = ["history"]


@admin.register(ExerciseLog)
class ExerciseLogAdmin(ClinicalRecordAdmin):
    list_display = ["programme_exercise", "day", "sets_done", "recorded_at"]
    readonly_fields = ["history"]
