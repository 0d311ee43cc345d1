"""The facts a decision is made from, as typed values.

``parse_facts`` reads the mapping format of the packs' reference (patient facts,
a ``history`` list of prior procedures and the ``request``). A fact that is
absent or null is *missing*: rules that need it report it and ask for more
information. A fact that is present but malformed (wrong type, unknown value,
unreadable date) raises FactsError naming its dotted path; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facetcare.core.policy.anatomy import joint_pairs

SEXES = ("female", "male", "other")
SYMPTOM_PATTERNS = (
    "axial",
    "axial_with_somatic_referral",
    "mixed_axial_dominant",
    "radicular",
    "mixed_radicular_dominant",
    "neurogenic_claudication",
    "widespread",
)
RADICULOPATHY = ("none", "untreated", "treated_resolved", "facet_synovial_cyst")
PAIN_SCALES = ("NRS-11", "VAS-100")
DISABILITY_INSTRUMENTS = ("ODI", "NDI", "RMDQ", "PSFS", "PROMIS-PF")
REQUEST_TYPES = ("mbb_diagnostic", "ia_diagnostic", "ia_therapeutic", "mbb_therapeutic", "rfa")
HISTORY_TYPES = (*REQUEST_TYPES, "epidural_steroid", "peripheral_joint_injection")
DIAGNOSTIC_TYPES = frozenset({"mbb_diagnostic", "ia_diagnostic"})
THERAPEUTIC_TYPES = frozenset({"ia_therapeutic", "mbb_therapeutic"})
SPINAL_INJECTION_TYPES = frozenset({*REQUEST_TYPES, "epidural_steroid"}) - {"rfa"}
HISTORY_REGIONS = ("cervical", "thoracic", "lumbar", "other")
REQUEST_REGIONS = ("cervical", "thoracic", "lumbar")
SIDES = ("left", "right", "bilateral")
GUIDANCE = ("fluoroscopy", "ct", "ultrasound", "mri", "none")
SEDATION = ("none", "minimal", "moderate", "deep", "mac", "general")
RF_MODALITIES = ("thermal", "pulsed", "cryo", "chemical", "laser")
INJECTATES = (
    "local_anaesthetic",
    "corticosteroid",
    "contrast",
    "prp",
    "dextrose_prolotherapy",
    "other_biologic",
)
SAME_DAY_BLOCKS = ("epidural", "trigger_point_injections", "sacroiliac", "sympathetic")


@dataclass(frozen=True)
class Disability:
    instrument: str | None
    score: float | None


@dataclass(frozen=True)
class ConservativeCare:
    weeks: int | None
    modalities: tuple[str, ...] | None
    failed: bool | None


@dataclass(frozen=True)
class Procedure:
    """A prior procedure (``path`` is ``history.N``) or the requested one (``request``)."""

    path: str
    date: date
    type: str
    region: str | None
    levels: tuple[str, ...]
    side: str | None
    agent: str | None = None
    relief_percent: float | None = None
    duration_concordant_with_agent: bool | None = None
    relief_duration_days: int | None = None
    same_pain_scale_as_baseline: bool | None = None
    steroid_mg_mpde: float | None = None

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        return joint_pairs(self.levels, self.side)

    @property
    def is_steroid_containing(self) -> bool:
        if self.steroid_mg_mpde is None:
            return self.type == "epidural_steroid"
        return self.steroid_mg_mpde > 0


@dataclass(frozen=True)
class Request:
    procedure: Procedure
    guidance: str | None
    sedation: str | None
    sedation_necessity_documented: bool | None
    rf_modality: str | None
    injectate: tuple[str, ...] | None
    same_day_other_blocks: tuple[str, ...]
    same_day_other_blocks_necessity_documented: bool | None
    not_rfa_candidate_reason: str | None
    mbb_not_possible_reason: str | None
    recurrent_pain_source_in_question: bool | None
    second_dx_interval_exception_documented: bool | None

    @property
    def date(self) -> date:
        return self.procedure.date

    @property
    def type(self) -> str:
        return self.procedure.type

    @property
    def region(self) -> str:
        return self.procedure.region or ""

    @property
    def levels(self) -> tuple[str, ...]:
        return self.procedure.levels

    @property
    def contains_steroid(self) -> bool:
        mpde = self.procedure.steroid_mg_mpde
        return "corticosteroid" in (self.injectate or ()) or (mpde is not None and mpde > 0)


@dataclass(frozen=True)
class Facts:
    age: int | None
    sex: str | None
    postmenopausal: bool | None
    osteoporosis: bool | None
    red_flags_screened: bool | None
    red_flags: tuple[str, ...] | None
    suspected_axspa: bool | None
    symptom_pattern: str | None
    radiculopathy: str | None
    pain_duration_weeks: int | None
    nrs_pain: int | None
    pain_scale: str | None
    disability: Disability | None
    conservative_care: ConservativeCare | None
    non_facet_pathology_recorded: bool
    non_facet_pathology: str | None
    widespread_pain_condition: bool | None
    prior_alif: bool | None
    history: tuple[Procedure, ...]
    request: Request
