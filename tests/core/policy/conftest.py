"""Shared builders for the policy engine tests: a baseline eligible lumbar case to vary."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from facetcare.core.policy import Pack, load_pack

DATA = Path(__file__).parent / "data"
SHARED_CASES = Path(__file__).resolve().parents[4] / "shared" / "clinical" / "cases-public.yaml"


def public_cases_path() -> Path:
    """The shared public cases when present beside the project, else the copy in data/."""
    return SHARED_CASES if SHARED_CASES.is_file() else DATA / "cases-public.yaml"


def public_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = yaml.safe_load(public_cases_path().read_text())["cases"]
    return cases


BASE_FACTS: dict[str, Any] = {
    "age": 58,
    "sex": "male",
    "postmenopausal": False,
    "osteoporosis": False,
    "red_flags_screened": True,
    "red_flags": [],
    "suspected_axspa": False,
    "symptom_pattern": "axial_with_somatic_referral",
    "radiculopathy": "none",
    "neuro_signs": [],
    "pain_duration_weeks": 40,
    "nrs_pain": 7,
    "pain_scale": "NRS-11",
    "disability": {"instrument": "ODI", "score": 38},
    "conservative_care": {
        "weeks": 16,
        "modalities": ["exercise_programme", "nsaids"],
        "failed": True,
    },
    "non_facet_pathology": None,
    "widespread_pain_condition": False,
    "prior_alif": False,
    "history": [],
    "request": {
        "date": "2026-02-10",
        "type": "mbb_diagnostic",
        "region": "lumbar",
        "levels": ["L4-5", "L5-S1"],
        "side": "bilateral",
        "guidance": "fluoroscopy",
        "sedation": "none",
        "sedation_necessity_documented": False,
        "rf_modality": None,
        "injectate": ["local_anaesthetic"],
        "steroid_mg_mpde": 0,
        "same_day_other_blocks": [],
        "same_day_other_blocks_necessity_documented": False,
        "not_rfa_candidate_reason": None,
        "mbb_not_possible_reason": None,
        "recurrent_pain_source_in_question": False,
        "second_dx_interval_exception_documented": False,
    },
}


def case(*, history: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    """The baseline facts with top-level ``changes``; ``request_`` keys change the request."""
    facts = copy.deepcopy(BASE_FACTS)
    for key, value in changes.items():
        if key.startswith("request_"):
            facts["request"][key.removeprefix("request_")] = value
        else:
            facts[key] = value
    if history is not None:
        facts["history"] = history
    return facts


def block(when: str, relief: float = 90, **changes: Any) -> dict[str, Any]:
    """A prior lumbar bilateral L4-5/L5-S1 diagnostic MBB."""
    item: dict[str, Any] = {
        "date": when,
        "type": "mbb_diagnostic",
        "region": "lumbar",
        "levels": ["L4-5", "L5-S1"],
        "side": "bilateral",
        "agent": "lidocaine",
        "relief_percent": relief,
        "duration_concordant_with_agent": True,
        "same_pain_scale_as_baseline": True,
        "steroid_mg_mpde": 0,
    }
    item.update(changes)
    return item


@pytest.fixture(scope="session")
def medicare() -> Pack:
    return load_pack("medicare_lcd_l38773")


@pytest.fixture(scope="session")
def uk() -> Pack:
    return load_pack("uk_nice_ng59_clinic")
