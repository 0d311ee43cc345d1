"""The clinical record: episodes of care, assessments, procedures and policy overrides.

Rows here are never deleted and every change goes through ``pathway.services``,
which writes a version to ``audit.RecordVersion`` in the same transaction.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Practitioner
from facetcare.pathway.states import CLOSED_STATES, EpisodeState
from facetcare.patients.models import Patient


class Region(models.TextChoices):
    CERVICAL = "cervical", "Cervical"
    THORACIC = "thoracic", "Thoracic"
    LUMBAR = "lumbar", "Lumbar"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"


class Episode(models.Model):
    class ReferralSource(models.TextChoices):
        SELF = "self", "Self-referral"
        GP = "gp", "GP"
        SOLICITOR = "solicitor", "Solicitor"
        CASE_MANAGER = "case_manager", "Case manager"
        INSURER = "insurer", "Insurer"
        EMPLOYER = "employer", "Employer"
        CONSULTANT = "consultant", "Consultant"

    class State(models.TextChoices):
        # Mirrors pathway.states.EpisodeState, where the transition table lives.
        REFERRED = "referred", "Referred"
        ASSESSED = "assessed", "Assessed"
        CONSERVATIVE_CARE = "conservative_care", "Conservative care"
        PROCEDURE_CONSIDERED = "procedure_considered", "Procedure considered"
        PROCEDURE = "procedure", "Procedure"
        POST_PROCEDURE_REHAB = "post_procedure_rehab", "Post-procedure rehabilitation"
        REVIEW = "review", "Review"
        DISCHARGED = "discharged", "Discharged"
        REFERRED_ON = "referred_on", "Referred on"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    region = models.CharField(max_length=10, choices=Region.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    onset_date = models.DateField(null=True, blank=True)
    referral_source = models.CharField(max_length=14, choices=ReferralSource.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_episodes",
        help_text="The referrer's account, which may then follow this episode",
    )
    referral_note = models.TextField(blank=True)
    procedure_plan = models.JSONField(
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="The procedure being considered, as policy request facts "
        "(levels, side, guidance, sedation, injectate, steroid_mg_mpde, ...)",
    )
    policy_pack_id = models.CharField(max_length=60)
    policy_pack_version = models.CharField(max_length=40)
    state = models.CharField(max_length=22, choices=State.choices, default=State.REFERRED)
    state_changed_at = models.DateTimeField()
    state_reason = models.CharField(max_length=500, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["patient", "state"], name="episode_patient_state")]

    def __str__(self) -> str:
        return f"{self.patient} {self.region} episode ({self.state})"

    @property
    def is_open(self) -> bool:
        return EpisodeState(self.state) not in CLOSED_STATES


class Assessment(models.Model):
    class SymptomPattern(models.TextChoices):
        AXIAL = "axial", "Axial"
        AXIAL_WITH_SOMATIC_REFERRAL = "axial_with_somatic_referral", "Axial with somatic referral"
        MIXED_AXIAL_DOMINANT = "mixed_axial_dominant", "Mixed, axial dominant"
        RADICULAR = "radicular", "Radicular"
        MIXED_RADICULAR_DOMINANT = "mixed_radicular_dominant", "Mixed, radicular dominant"
        NEUROGENIC_CLAUDICATION = "neurogenic_claudication", "Neurogenic claudication"
        WIDESPREAD = "widespread", "Widespread"

    class Radiculopathy(models.TextChoices):
        NONE = "none", "None"
        UNTREATED = "untreated", "Untreated"
        TREATED_RESOLVED = "treated_resolved", "Treated, resolved"
        FACET_SYNOVIAL_CYST = "facet_synovial_cyst", "From a facet synovial cyst"

    class Instrument(models.TextChoices):
        ODI = "ODI", "Oswestry Disability Index"
        NDI = "NDI", "Neck Disability Index"
        RMDQ = "RMDQ", "Roland-Morris Disability Questionnaire"
        PSFS = "PSFS", "Patient-Specific Functional Scale"
        PROMIS_PF = "PROMIS-PF", "PROMIS Physical Function"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    assessed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    symptom_pattern = models.CharField(max_length=28, choices=SymptomPattern.choices)
    red_flags_screened = models.BooleanField()
    red_flags = models.JSONField(default=list, blank=True, help_text="Codes from the triage list")
    suspected_axspa = models.BooleanField(default=False)
    radiculopathy = models.CharField(max_length=20, choices=Radiculopathy.choices)
    neuro_signs = models.JSONField(default=list, blank=True)
    pain_duration_weeks = models.PositiveIntegerField()
    nrs_pain = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    disability_instrument = models.CharField(max_length=10, choices=Instrument.choices, blank=True)
    disability_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    conservative_care_weeks = models.PositiveIntegerField(default=0)
    conservative_care_modalities = models.JSONField(default=list, blank=True)
    conservative_care_failed = models.BooleanField(null=True, blank=True)
    functional_goals = models.JSONField(
        default=list, blank=True, help_text="In the patient's own words"
    )
    non_facet_pathology = models.CharField(max_length=200, blank=True)
    widespread_pain_condition = models.BooleanField(default=False)
    prior_alif = models.BooleanField(default=False)
    postmenopausal = models.BooleanField(default=False)
    osteoporosis = models.BooleanField(default=False)
    impression = models.TextField(blank=True)
    plan = models.TextField(blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(nrs_pain__lte=10), name="assessment_nrs_0_to_10"),
            models.CheckConstraint(
                condition=Q(disability_instrument="", disability_score__isnull=True)
                | (~Q(disability_instrument="") & Q(disability_score__isnull=False)),
                name="assessment_disability_instrument_with_score",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.episode.patient} at {self.assessed_at:%Y-%m-%d}"


class ProcedureRecord(models.Model):
    class Type(models.TextChoices):
        IA_DIAGNOSTIC = "ia_diagnostic", "Diagnostic intra-articular facet injection"
        IA_THERAPEUTIC = "ia_therapeutic", "Therapeutic intra-articular facet injection"
        MBB_DIAGNOSTIC = "mbb_diagnostic", "Diagnostic medial branch block"
        MBB_THERAPEUTIC = "mbb_therapeutic", "Therapeutic medial branch block"
        RFA = "rfa", "Radiofrequency ablation"
        SACROILIAC_JOINT_INJECTION = "sacroiliac_joint_injection", "Sacroiliac joint injection"
        PERIPHERAL_JOINT_INJECTION = "peripheral_joint_injection", "Peripheral joint injection"
        EPIDURAL_STEROID = "epidural_steroid", "Epidural steroid injection"

    class ProcedureRegion(models.TextChoices):
        CERVICAL = "cervical", "Cervical"
        THORACIC = "thoracic", "Thoracic"
        LUMBAR = "lumbar", "Lumbar"
        OTHER = "other", "Other (sacroiliac or peripheral)"

    class Guidance(models.TextChoices):
        FLUOROSCOPY = "fluoroscopy", "Fluoroscopy"
        CT = "ct", "CT"
        ULTRASOUND = "ultrasound", "Ultrasound"

    class Sedation(models.TextChoices):
        NONE = "none", "None"
        MINIMAL = "minimal", "Minimal (oral anxiolysis)"
        MODERATE = "moderate", "Moderate"
        DEEP = "deep", "Deep"
        MAC = "mac", "Monitored anaesthesia care"
        GENERAL = "general", "General anaesthesia"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="procedures")
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_record",
    )
    performed_elsewhere = models.CharField(
        max_length=200, blank=True, help_text="Where, for a procedure done outside these clinics"
    )
    performed_on = models.DateField(help_text="Local date at the clinic where it was done")
    type = models.CharField(max_length=28, choices=Type.choices)
    region = models.CharField(max_length=10, choices=ProcedureRegion.choices)
    levels = models.JSONField(default=list, blank=True)
    side = models.CharField(max_length=10, choices=Side.choices)
    guidance = models.CharField(max_length=12, choices=Guidance.choices)
    sedation = models.CharField(max_length=10, choices=Sedation.choices, default=Sedation.NONE)
    injectate = models.JSONField(default=list, blank=True, help_text='[{"agent", "dose_mg"}]')
    steroid_mg_mpde = models.DecimalField(
        "steroid dose (mg methylprednisolone equivalent)",
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    consent_obtained = models.BooleanField()
    risks_discussed = models.JSONField(default=list)
    operator = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    complications = models.TextField(blank=True)
    pre_pain_nrs = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    post_pain_nrs = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    same_day_discharge = models.BooleanField(default=True)
    aftercare = models.TextField(blank=True)
    relief_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    relief_duration_days = models.PositiveIntegerField(null=True, blank=True)
    duration_concordant_with_agent = models.BooleanField(null=True, blank=True)
    same_pain_scale_as_baseline = models.BooleanField(null=True, blank=True)
    response_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-performed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | ~Q(performed_elsewhere=""),
                name="procedure_tied_to_appointment_or_elsewhere",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gte=F("started_at")),
                name="procedure_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(relief_percent__isnull=True) | Q(relief_percent__lte=100),
                name="procedure_relief_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(steroid_mg_mpde__gte=0), name="procedure_steroid_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["episode", "performed_on"], name="procedure_episode_on")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {'/'.join(self.levels)} on {self.performed_on}"


class PolicyOverride(models.Model):
    """A consultant's documented decision to proceed despite the policy's decision."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="overrides")
    procedure_type = models.CharField(max_length=20)
    requested = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The requested procedure facts that were checked"
    )
    overridden_decision = models.CharField(max_length=24)
    deciding_rules = models.JSONField(default=list)
    policy_pack_id = models.CharField(max_length=60)
    policy_pack_version = models.CharField(max_length=40)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="policy_override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Override of {self.overridden_decision} for {self.procedure_type} ({self.episode})"
