"""Rehabilitation programmes: a patient's phased exercises, the clinic's own exercises,
and what the patient logs.

The shipped exercise library lives in code (``facetcare.core.rehab``); a row of
``Exercise`` here is a clinic's own addition. Programme rows are part of the
clinical record: never deleted, every change made through ``rehab.services``,
which writes a version to ``audit.RecordVersion`` in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from facetcare.clinics.models import Clinic
from facetcare.core.rehab import PATHWAY_LABELS, Dosage, Pathway
from facetcare.pathway.models import Episode, ProcedureRecord, Region
from facetcare.patients.models import Patient

PATHWAY_CHOICES = [(pathway.value, PATHWAY_LABELS[pathway]) for pathway in Pathway]


class DosageFields(models.Model):
    """The dose columns an exercise carries, as the core's ``Dosage`` reads them."""

    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    per_day = models.PositiveSmallIntegerField("times a day", null=True, blank=True)
    per_week = models.PositiveSmallIntegerField("times a week", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def dosage(self) -> Dosage:
        return Dosage(
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            minutes=self.minutes,
            per_day=self.per_day,
            per_week=self.per_week,
        )


class Exercise(DosageFields):
    """A clinic's own exercise, planned alongside the shipped library.

    ``clinic`` empty: offered at every clinic. The slug may not repeat one of the
    shipped exercises (checked by ``rehab.library``).
    """

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    regions = models.JSONField(default=list, help_text="cervical, thoracic, lumbar, general")
    phases = models.JSONField(default=list, help_text="Phase numbers 1 to 4")
    aims = models.JSONField(
        default=list, help_text="pain_relief, mobility, strength, stability, fitness"
    )
    goal_tags = models.JSONField(default=list, blank=True)
    avoid_with = models.JSONField(default=list, blank=True, help_text="Caution codes")
    progression = models.CharField(max_length=60, blank=True)
    regression = models.CharField(max_length=60, blank=True)
    equipment = models.JSONField(default=list, blank=True)
    instructions = models.TextField(help_text="One step per line, in plain words")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="rehab_programmes")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="rehab_programmes")
    procedure = models.ForeignKey(
        ProcedureRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The injection or block the programme follows, if any",
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The clinic whose details the handout gives",
    )
    region = models.CharField(max_length=10, choices=Region.choices)
    pathway = models.CharField(max_length=16, choices=PATHWAY_CHOICES)
    started_on = models.DateField(help_text="The procedure date, or the assessment date")
    current_phase = models.PositiveSmallIntegerField(default=1)
    goals = models.JSONField(
        default=list, blank=True, help_text="[{text, tags}]: the patient's goals in their words"
    )
    cautions = models.JSONField(default=list, blank=True)
    shortfalls = models.JSONField(
        default=list, blank=True, help_text="[{phase, aim, message}]: aims no exercise could serve"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_phase__gte=1, current_phase__lte=4),
                name="programme_phase_1_to_4",
            ),
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(status="active"),
                name="programme_one_active_per_episode",
            ),
        ]
        indexes = [models.Index(fields=["patient", "status"], name="programme_patient_status")]

    def __str__(self) -> str:
        return f"{self.get_region_display()} programme for {self.patient} from {self.started_on}"

    @property
    def goal_texts(self) -> list[str]:
        return [goal["text"] for goal in self.goals]


class ProgrammePhase(models.Model):
    """One of a programme's four phases: planned dates, the day a review started it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="phases")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    weeks_label = models.CharField(max_length=40)
    planned_start = models.DateField()
    planned_end = models.DateField()
    actual_start = models.DateField(null=True, blank=True)
    goals = models.TextField(help_text="What the phase is for, in plain words")
    interventions = models.JSONField(default=list, blank=True)
    aims = models.JSONField(default=list)
    review_note = models.TextField(blank=True, help_text="The review that started this phase")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_phase_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="programme_phase_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="programme_phase_number_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"Phase {self.number} of {self.programme}"


class ProgrammeExercise(DosageFields):
    """An exercise prescribed in a phase: a shipped one by slug, or a clinic's own."""

    phase = models.ForeignKey(ProgrammePhase, on_delete=models.PROTECT, related_name="exercises")
    exercise_slug = models.CharField(max_length=60, blank=True)
    custom_exercise = models.ForeignKey(
        Exercise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField()
    clinician_note = models.TextField(blank=True)
    goals = models.JSONField(default=list, blank=True, help_text="The patient's goals it serves")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["phase", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(custom_exercise__isnull=True) & ~Q(exercise_slug=""))
                | (Q(custom_exercise__isnull=False) & Q(exercise_slug="")),
                name="programme_exercise_shipped_or_custom",
            ),
        ]
        indexes = [models.Index(fields=["phase", "order"], name="programme_exercise_order")]

    def __str__(self) -> str:
        return f"{self.exercise_slug or self.custom_exercise} in {self.phase}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class ExerciseLog(models.Model):
    """That an exercise was done on a day: by the patient in the portal, or noted by a
    clinician. One row per exercise and day; a correction amends it with a version."""

    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="logs"
    )
    day = models.DateField(help_text="The patient's local date at the clinic")
    sets_done = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["programme_exercise", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_exercise", "day"], name="exercise_log_once_a_day"
            ),
            models.CheckConstraint(condition=Q(sets_done__lte=20), name="exercise_log_sets_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_exercise} on {self.day}: {self.sets_done} set(s)"
