"""Assemble the policy engine's facts from the clinical record, and ask for a decision.

The facts format is the policy reference's: patient facts from the episode's
latest assessment, ``history`` from every procedure recorded for the patient
(any episode, including ones done elsewhere, because frequency and steroid
limits count them all), and ``request`` for the procedure being considered.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from facetcare.audit.actors import Actor
from facetcare.audit.services import log_access
from facetcare.core.policy import Decision
from facetcare.errors import InvalidInput
from facetcare.pathway import engine
from facetcare.pathway.access import require_episode_reader
from facetcare.pathway.levels import validate_levels
from facetcare.pathway.models import Assessment, Episode, ProcedureRecord
from facetcare.pathway.selectors import latest_assessment, patient_procedure_history
from facetcare.patients.models import Patient

REQUEST_DEFAULTS: dict[str, Any] = {
    "guidance": "fluoroscopy",
    "sedation": "none",
    "sedation_necessity_documented": False,
    "rf_modality": None,
    "injectate": [],
    "steroid_mg_mpde": 0,
    "same_day_other_blocks": [],
    "same_day_other_blocks_necessity_documented": False,
    "not_rfa_candidate_reason": None,
    "mbb_not_possible_reason": None,
    "recurrent_pain_source_in_question": False,
    "second_dx_interval_exception_documented": False,
}
REQUEST_REQUIRED = ("type", "region", "levels", "side", "date")
REQUEST_FIELDS = frozenset((*REQUEST_DEFAULTS, *REQUEST_REQUIRED, "agent"))

# The engine knows no sacroiliac type: an SI injection is not a facet or
# epidural session, but its steroid counts towards the cumulative dose, which
# is exactly how the engine treats a peripheral joint injection.
_HISTORY_TYPE: dict[str, str] = {
    ProcedureRecord.Type.SACROILIAC_JOINT_INJECTION: "peripheral_joint_injection"
}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def patient_facts(patient: Patient, assessment: Assessment | None, on: date) -> dict[str, Any]:
    facts: dict[str, Any] = {"age": age_on(patient.date_of_birth, on)}
    if patient.sex != Patient.Sex.NOT_STATED:
        facts["sex"] = patient.sex
    if assessment is None:
        # No screen yet: the triage rule asks for one before anything is booked.
        return {**facts, "red_flags_screened": False, "red_flags": []}
    a = assessment
    disability = None
    if a.disability_instrument:
        disability = {
            "instrument": a.disability_instrument,
            "score": float(a.disability_score or 0),
        }
    return {
        **facts,
        "postmenopausal": a.postmenopausal,
        "osteoporosis": a.osteoporosis,
        "red_flags_screened": a.red_flags_screened,
        "red_flags": list(a.red_flags),
        "suspected_axspa": a.suspected_axspa,
        "symptom_pattern": a.symptom_pattern,
        "radiculopathy": a.radiculopathy,
        "neuro_signs": list(a.neuro_signs),
        "pain_duration_weeks": a.pain_duration_weeks,
        "nrs_pain": a.nrs_pain,
        "pain_scale": "NRS-11",
        "disability": disability,
        "conservative_care": {
            "weeks": a.conservative_care_weeks,
            "modalities": list(a.conservative_care_modalities),
            "failed": a.conservative_care_failed,
        },
        "non_facet_pathology": a.non_facet_pathology or None,
        "widespread_pain_condition": a.widespread_pain_condition,
        "prior_alif": a.prior_alif,
    }


def history_item(record: ProcedureRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "date": record.performed_on.isoformat(),
        "type": _HISTORY_TYPE.get(record.type, record.type),
        "region": record.region,
        "levels": list(record.levels),
        "side": record.side,
        "agent": "+".join(i["agent"] for i in record.injectate),
        "guidance": record.guidance,
        "steroid_mg_mpde": float(record.steroid_mg_mpde),
    }
    response = {
        "relief_percent": record.relief_percent,
        "relief_duration_days": record.relief_duration_days,
        "duration_concordant_with_agent": record.duration_concordant_with_agent,
        "same_pain_scale_as_baseline": record.same_pain_scale_as_baseline,
    }
    # Only what was recorded: an absent response is missing, not zero relief.
    item.update({key: value for key, value in response.items() if value is not None})
    return item


def request_facts(requested: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(requested) - REQUEST_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown request fields: {', '.join(unknown)}", field=unknown[0])
    missing = [name for name in REQUEST_REQUIRED if requested.get(name) in (None, "", [])]
    if missing:
        raise InvalidInput(f"The request needs {', '.join(missing)}", field=missing[0])
    request = {**REQUEST_DEFAULTS, **requested}
    when = request["date"]
    request["date"] = when.isoformat() if isinstance(when, date) else str(when)
    try:
        request["levels"] = validate_levels(list(request["levels"]), region=request["region"])
    except ValueError as error:
        raise InvalidInput(str(error), field="levels") from None
    return request


def assemble_facts(episode: Episode, requested: Mapping[str, Any]) -> dict[str, Any]:
    """The facts without an access check, for the booking gate (a system check)."""
    request = request_facts(requested)
    on = date.fromisoformat(request["date"])
    facts = patient_facts(episode.patient, latest_assessment(episode), on)
    facts["history"] = [history_item(r) for r in patient_procedure_history(episode.patient_id)]
    facts["request"] = request
    return facts


def get_policy_facts(
    *, episode: Episode, requested: Mapping[str, Any], acting_user: Actor
) -> dict[str, Any]:
    """The facts for a decision on ``requested`` (type, region, levels, side, date, ...)."""
    require_episode_reader(acting_user, episode)
    log_access(
        user=acting_user,
        action="read",
        patient_id=episode.patient_id,
        object_type="policy_facts",
        object_id=episode.pk,
    )
    return assemble_facts(episode, requested)


def decide(episode: Episode, requested: Mapping[str, Any]) -> Decision:
    """The engine's decision under the episode's pack, without an access check."""
    return engine.evaluate(assemble_facts(episode, requested), engine.load(episode.policy_pack_id))


def get_policy_decision(
    *, episode: Episode, requested: Mapping[str, Any], acting_user: Actor
) -> Decision:
    """The engine's decision under the episode's pack, every rule explained."""
    facts = get_policy_facts(episode=episode, requested=requested, acting_user=acting_user)
    return engine.evaluate(facts, engine.load(episode.policy_pack_id))
