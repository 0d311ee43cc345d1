"""Outcome measures: pain scores, questionnaires, what is due when, and RD-1's results.

Scores and responses are append-only clinical data (a later entry corrects an
earlier one; nothing is edited). Derived responses are appended whenever a new
score changes the derivation; a clinician's confirmation is recorded on the row
they confirmed, and only then are the facts written to the procedure record.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from facetcare.pathway.models import Episode, ProcedureRecord
from facetcare.patients.models import Patient

NRS_LOINC = "72514-3"


class Source(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"


class Instrument(models.Model):
    """A questionnaire as a FHIR ``Questionnaire`` resource (``resource``).

    FacetCare ships only free-to-use items (NRS-11 pain, the PSFS built from the
    patient's own goals, a 7-point global rating of change); a clinic holding a
    licence loads others (ODI, NDI, STarT Back) with ``facetcare outcomes
    load-questionnaire FILE`` or the admin, and states the licence here.
    """

    class Kind(models.TextChoices):
        PAIN = "pain", "Pain"
        FUNCTION = "function", "Function"
        DISABILITY = "disability", "Disability"
        GLOBAL_CHANGE = "global_change", "Global rating of change"
        OTHER = "other", "Other"

    class Scoring(models.TextChoices):
        SUM = "sum", "Sum of the answers"
        MEAN = "mean", "Mean of the answers"
        PERCENT = "percent", "Sum as a percentage of the maximum"
        NONE = "none", "Not scored"

    code = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.SUM)
    regions = models.JSONField(
        default=list, blank=True, help_text="Spinal regions it is asked for; empty for all"
    )
    loinc = models.CharField(max_length=20, blank=True)
    resource = models.JSONField(encoder=DjangoJSONEncoder, help_text="FHIR Questionnaire")
    licence = models.TextField(help_text="Who owns it and on what terms it is used here")
    shipped = models.BooleanField(default=False, help_text="Shipped with FacetCare (free items)")
    is_active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class PainScore(models.Model):
    """One index-pain score: NRS-11 (0-10, LOINC 72514-3) or VAS-100 (0-100)."""

    class Scale(models.TextChoices):
        NRS_11 = "NRS-11", "NRS-11 (0-10)"
        VAS_100 = "VAS-100", "VAS (0-100 mm)"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="pain_scores")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="pain_scores"
    )
    region = models.CharField(max_length=10, blank=True, help_text="The episode's region")
    recorded_at = models.DateTimeField(help_text="When the pain was scored (UTC)")
    value = models.PositiveSmallIntegerField()
    scale = models.CharField(max_length=8, choices=Scale.choices, default=Scale.NRS_11)
    loinc = models.CharField(max_length=20, blank=True, default=NRS_LOINC)
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale="NRS-11", value__lte=10) | Q(scale="VAS-100", value__lte=100),
                name="pain_score_in_scale_range",
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient", "region", "recorded_at"], name="pain_patient_region_at"
            ),
            models.Index(fields=["episode", "recorded_at"], name="pain_episode_at"),
        ]

    def __str__(self) -> str:
        return f"{self.scale} {self.value} at {self.recorded_at:%Y-%m-%d %H:%M}"


class QuestionnaireResponse(models.Model):
    """Answers to an instrument, shaped like a FHIR QuestionnaireResponse's items:
    ``[{"linkId", "text", "value"}]``; ``total`` as the instrument scores it."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    answered_at = models.DateTimeField()
    answers = models.JSONField(encoder=DjangoJSONEncoder)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at", "id"]
        indexes = [
            models.Index(
                fields=["patient", "instrument", "answered_at"], name="response_patient_at"
            ),
            models.Index(fields=["episode", "instrument"], name="response_episode"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} at {self.answered_at:%Y-%m-%d}"


class MeasureSchedule(models.Model):
    """A patient's follow-up plan, dated from a procedure or from the start of
    conservative care, as local dates in ``time_zone``."""

    class Pathway(models.TextChoices):
        POST_PROCEDURE = "post_procedure", "After a procedure"
        CONSERVATIVE = "conservative", "Conservative care"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    procedure = models.OneToOneField(
        ProcedureRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measure_schedule",
    )
    pathway = models.CharField(max_length=16, choices=Pathway.choices)
    anchor_at = models.DateTimeField(help_text="Day 0's instant")
    anchor_date = models.DateField(help_text="Day 0, local date")
    time_zone = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-anchor_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(procedure__isnull=True),
                name="one_conservative_schedule_per_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} from {self.anchor_date}"


class DueMeasure(models.Model):
    """One measure due on a local date, open until ``closes_on``; done when answered."""

    class Measure(models.TextChoices):
        PAIN = "NRS-11", "Pain score"
        PSFS = "PSFS", "Patient-Specific Functional Scale"
        DISABILITY = "disability", "Disability questionnaire"
        GLOBAL_CHANGE = "GROC", "Global rating of change"

    schedule = models.ForeignKey(MeasureSchedule, on_delete=models.CASCADE, related_name="due")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=12, choices=Measure.choices)
    label = models.CharField(max_length=40)
    due_on = models.DateField()
    closes_on = models.DateField()
    remind_at = models.DateTimeField(help_text="When its reminder may be emailed (UTC)")
    reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    pain_score = models.ForeignKey(
        PainScore, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "measure", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "measure", "due_on"], name="due_measure_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("due_on")), name="due_measure_closes_after"
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "due_on"], name="due_patient_on"),
            models.Index(
                fields=["remind_at"],
                condition=Q(reminded_at__isnull=True, completed_at__isnull=True),
                name="due_reminders_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.label} ({self.due_on})"


class DerivedResponse(models.Model):
    """RD-1's result for a procedure at one moment, kept whole (``result``) with its
    main facts as columns. A confirmation is written once, on the row confirmed."""

    procedure = models.ForeignKey(
        ProcedureRecord, on_delete=models.PROTECT, related_name="derived_responses"
    )
    method = models.CharField(max_length=10, default="RD-1")
    parameters_version = models.CharField(max_length=60)
    parameters = models.JSONField(encoder=DjangoJSONEncoder)
    kind = models.CharField(max_length=12, blank=True)
    derivable = models.BooleanField()
    reasons = models.JSONField(default=list)
    relief_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    same_pain_scale_as_baseline = models.BooleanField(null=True, blank=True)
    result = models.JSONField(encoder=DjangoJSONEncoder)
    facts_key = models.CharField(max_length=64, help_text="Digest of the derived facts")
    result_key = models.CharField(max_length=64, help_text="Digest of the whole result")
    computed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed = models.JSONField(
        encoder=DjangoJSONEncoder, null=True, blank=True, help_text="The values written"
    )
    confirmation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["computed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(derivable=True),
                name="derived_response_confirmed_only_if_derivable",
            ),
            models.CheckConstraint(
                condition=Q(relief_percent__isnull=True)
                | Q(relief_percent__gte=0, relief_percent__lte=100),
                name="derived_relief_is_a_percentage",
            ),
        ]
        indexes = [models.Index(fields=["procedure", "computed_at"], name="derived_procedure_at")]

    def __str__(self) -> str:
        relief = "not derivable" if self.relief_percent is None else f"{self.relief_percent}%"
        return f"RD-1 for procedure {self.procedure_id}: {relief}"
