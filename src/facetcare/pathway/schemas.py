"""Ninja schemas of the clinical pathway API: ``<Thing>In`` / ``<Thing>Out``.

Enumerations and ranges live in the input types, so bad input is refused with a
422 naming the field before a handler runs; deeper checks (red-flag codes,
levels, consent) are the services', which name the field the same way.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from facetcare.audit.models import RecordVersion
from facetcare.pathway import red_flags
from facetcare.pathway.models import Assessment, Episode
from facetcare.pathway.states import allowed_targets

MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Region = Literal["cervical", "thoracic", "lumbar"]
Side = Literal["left", "right", "bilateral"]
Nrs = Annotated[int, Field(ge=0, le=10)]
ProcedureType = Literal[
    "ia_diagnostic", "ia_therapeutic", "mbb_diagnostic", "mbb_therapeutic", "rfa",
    "sacroiliac_joint_injection", "peripheral_joint_injection", "epidural_steroid",
]  # fmt: skip
FacetType = Literal["ia_diagnostic", "ia_therapeutic", "mbb_diagnostic", "mbb_therapeutic", "rfa"]
Guidance = Literal["fluoroscopy", "ct", "ultrasound"]
Sedation = Literal["none", "minimal", "moderate", "deep", "mac", "general"]
Level = Annotated[str, StringConstraints(strip_whitespace=True, max_length=8)]


class EpisodeIn(Schema):
    region: Region
    side: Side
    referral_source: Literal[
        "self", "gp", "solicitor", "case_manager", "insurer", "employer", "consultant"
    ]
    onset_date: date | None = None
    referrer_id: Id | None = None
    referral_note: Text = ""
    policy_pack_id: Short | None = None


class EpisodeOut(Schema):
    id: int
    patient_id: int
    region: str
    side: str
    onset_date: date | None
    referral_source: str
    referrer_id: int | None
    state: str
    allowed_transitions: list[str]
    policy_pack_id: str
    policy_pack_version: str
    procedure_plan: dict[str, Any]
    opened_at: datetime

    @staticmethod
    def resolve_allowed_transitions(obj: Episode) -> list[str]:
        return sorted(allowed_targets(obj.state))


class TransitionIn(Schema):
    to_state: Short
    reason: Text = ""


class InjectateIn(Schema):
    agent: Short
    dose_mg: Annotated[float, Field(ge=0, le=10_000)]


class PlanIn(Schema):
    levels: list[Level] = Field(min_length=1, max_length=6)
    side: Side | None = None
    guidance: Literal["fluoroscopy", "ct", "ultrasound", "mri", "none"] = "fluoroscopy"
    sedation: Sedation = "none"
    sedation_necessity_documented: bool = False
    rf_modality: Literal["thermal", "pulsed", "cryo", "chemical", "laser"] | None = None
    injectate: list[
        Literal[
            "local_anaesthetic", "corticosteroid", "contrast", "prp",
            "dextrose_prolotherapy", "other_biologic",
        ]
    ] = []  # fmt: skip
    agent: Short | None = None
    steroid_mg_mpde: Annotated[float, Field(ge=0, le=1000)]
    same_day_other_blocks: list[
        Literal["epidural", "trigger_point_injections", "sacroiliac", "sympathetic"]
    ] = []
    same_day_other_blocks_necessity_documented: bool = False
    not_rfa_candidate_reason: Short | None = None
    mbb_not_possible_reason: Short | None = None
    recurrent_pain_source_in_question: bool = False
    second_dx_interval_exception_documented: bool = False


class RequestIn(PlanIn):
    """A requested procedure, as the policy engine's ``request`` facts."""

    type: FacetType
    region: Region
    date: date


class AssessmentIn(Schema):
    symptom_pattern: Literal[
        "axial", "axial_with_somatic_referral", "mixed_axial_dominant", "radicular",
        "mixed_radicular_dominant", "neurogenic_claudication", "widespread",
    ]  # fmt: skip
    red_flags_screened: bool
    red_flags: list[Short] = []
    suspected_axspa: bool = False
    radiculopathy: Literal["none", "untreated", "treated_resolved", "facet_synovial_cyst"]
    neuro_signs: list[Short] = []
    pain_duration_weeks: Annotated[int, Field(ge=0, le=5200)]
    nrs_pain: Nrs
    disability_instrument: Literal["", "ODI", "NDI", "RMDQ", "PSFS", "PROMIS-PF"] = ""
    disability_score: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)] | None = None
    conservative_care_weeks: Annotated[int, Field(ge=0, le=5200)] = 0
    conservative_care_modalities: list[Short] = []
    conservative_care_failed: bool | None = None
    functional_goals: list[Short] = []
    non_facet_pathology: Short = ""
    widespread_pain_condition: bool = False
    prior_alif: bool = False
    postmenopausal: bool = False
    osteoporosis: bool = False
    impression: Text = ""
    plan: Text = ""


class AmendmentIn(Schema):
    changes: dict[str, Any] = Field(min_length=1)
    reason: Short


class BannerOut(Schema):
    category: str
    label: str
    urgency: str
    action: str
    codes: list[str]


class AssessmentOut(Schema):
    id: int
    episode_id: int
    assessed_by: str
    assessed_at: datetime
    symptom_pattern: str
    red_flags_screened: bool
    red_flags: list[str]
    suspected_axspa: bool
    radiculopathy: str
    neuro_signs: list[str]
    pain_duration_weeks: int
    nrs_pain: int
    disability_instrument: str
    disability_score: Decimal | None
    conservative_care_weeks: int
    conservative_care_modalities: list[str]
    conservative_care_failed: bool | None
    functional_goals: list[str]
    non_facet_pathology: str
    widespread_pain_condition: bool
    prior_alif: bool
    postmenopausal: bool
    osteoporosis: bool
    impression: str
    plan: str
    banners: list[BannerOut]

    @staticmethod
    def resolve_assessed_by(obj: Assessment) -> str:
        return obj.assessed_by.display_name

    @staticmethod
    def resolve_banners(obj: Assessment) -> list[dict[str, Any]]:
        banners = red_flags.banners_for(list(obj.red_flags), suspected_axspa=obj.suspected_axspa)
        return [vars(banner) for banner in banners]


class ProcedureIn(Schema):
    appointment_id: Id | None = None
    performed_elsewhere: Short = ""
    performed_on: date | None = None
    type: ProcedureType
    region: Literal["cervical", "thoracic", "lumbar", "other"]
    levels: list[Level] = Field(default=[], max_length=6)
    side: Side
    guidance: Guidance
    sedation: Sedation = "none"
    injectate: list[InjectateIn] = Field(default=[], max_length=6)
    steroid_mg_mpde: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)] = Decimal(0)
    consent_obtained: bool = False
    risks_discussed: list[Short] = []
    started_at: datetime | None = None
    ended_at: datetime | None = None
    complications: Text = ""
    pre_pain_nrs: Nrs | None = None
    post_pain_nrs: Nrs | None = None
    same_day_discharge: bool = True
    aftercare: Text = ""


class ProcedureOut(Schema):
    id: int
    episode_id: int
    appointment_id: int | None
    performed_elsewhere: str
    performed_on: date
    type: str
    region: str
    levels: list[str]
    side: str
    guidance: str
    sedation: str
    injectate: list[dict[str, Any]]
    steroid_mg_mpde: Decimal
    consent_obtained: bool
    risks_discussed: list[str]
    operator_id: int | None
    started_at: datetime | None
    ended_at: datetime | None
    complications: str
    pre_pain_nrs: int | None
    post_pain_nrs: int | None
    same_day_discharge: bool
    aftercare: str
    relief_percent: int | None
    relief_duration_days: int | None
    duration_concordant_with_agent: bool | None
    same_pain_scale_as_baseline: bool | None
    response_recorded_at: datetime | None


class ResponseIn(Schema):
    relief_percent: Annotated[int, Field(ge=0, le=100)]
    relief_duration_days: Annotated[int, Field(ge=0, le=3650)] | None = None
    duration_concordant_with_agent: bool | None = None
    same_pain_scale_as_baseline: bool
    reason: Short = "response recorded"


class OverrideIn(Schema):
    requested: RequestIn
    reason: Text


class OverrideOut(Schema):
    id: int
    episode_id: int
    procedure_type: str
    overridden_decision: str
    deciding_rules: list[str]
    policy_pack_id: str
    policy_pack_version: str
    consultant_id: int
    reason: str
    created_at: datetime


class VersionOut(Schema):
    version: int
    changed_by: str
    changed_at: datetime
    reason: str
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_changed_by(obj: RecordVersion) -> str:
        return obj.changed_by.get_username()


class PolicyQuery(Schema):
    """A requested procedure in the query string; ``levels`` comma-separated (C5-6,C6-7)."""

    type: FacetType
    levels: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    side: Side
    date: date
    region: Region | None = None
    guidance: Literal["fluoroscopy", "ct", "ultrasound", "mri", "none"] = "fluoroscopy"
    sedation: Sedation = "none"
    steroid_mg_mpde: Annotated[float, Field(ge=0, le=1000)] = 0
    injectate: Short = ""
    rf_modality: Literal["thermal", "pulsed", "cryo", "chemical", "laser"] | None = None
    not_rfa_candidate_reason: Short | None = None
    mbb_not_possible_reason: Short | None = None

    def as_request(self, *, episode_region: str = "") -> dict[str, Any]:
        request = self.dict(exclude_none=True)
        request["levels"] = [level.strip() for level in self.levels.split(",") if level.strip()]
        request["injectate"] = [x.strip() for x in self.injectate.split(",") if x.strip()]
        request["region"] = self.region or episode_region
        return request
