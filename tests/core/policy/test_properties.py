"""Invariants of the engine over generated cases (hypothesis)."""

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from facetcare.core.policy import DECISIONS, evaluate, load_pack
from tests.core.policy.conftest import case

PACKS = [load_pack("medicare_lcd_l38773"), load_pack("uk_nice_ng59_clinic")]
FREQUENCY_RULES = {"MCR-DX-02", "MCR-TX-04", "MCR-RFA-04", "UK-STER-01", "UK-STER-02"}
REQUEST_DATE = date(2026, 2, 10)
LEVELS = {"lumbar": ["L3-4", "L4-5", "L5-S1"], "cervical": ["C4-5", "C5-6", "C6-7"]}
RED_FLAGS = sorted(PACKS[0].red_flag_codes)


@st.composite
def procedures(draw: st.DrawFn) -> dict[str, Any]:
    region = draw(st.sampled_from(["lumbar", "cervical"]))
    kind = draw(
        st.sampled_from(
            ["mbb_diagnostic", "ia_diagnostic", "ia_therapeutic", "mbb_therapeutic", "rfa",
             "epidural_steroid"]
        )
    )  # fmt: skip
    return {
        "date": (REQUEST_DATE - timedelta(days=draw(st.integers(0, 1200)))).isoformat(),
        "type": kind,
        "region": region,
        "levels": draw(st.lists(st.sampled_from(LEVELS[region]), min_size=1, max_size=2)),
        "side": draw(st.sampled_from(["left", "right", "bilateral"])),
        "relief_percent": draw(st.integers(0, 100)),
        "duration_concordant_with_agent": draw(st.booleans()),
        "relief_duration_days": draw(st.integers(0, 400)),
        "same_pain_scale_as_baseline": True,
        "steroid_mg_mpde": draw(st.sampled_from([0, 40, 80])),
    }


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    region = draw(st.sampled_from(["lumbar", "cervical"]))
    kind = draw(st.sampled_from(["mbb_diagnostic", "ia_therapeutic", "mbb_therapeutic", "rfa"]))
    steroid = draw(st.booleans())
    return case(
        history=draw(st.lists(procedures(), max_size=6)),
        sex="female",
        postmenopausal=draw(st.booleans()),
        request_type=kind,
        request_region=region,
        request_levels=draw(st.lists(st.sampled_from(LEVELS[region]), min_size=1, max_size=2)),
        request_side=draw(st.sampled_from(["left", "right", "bilateral"])),
        request_rf_modality="thermal" if kind == "rfa" else None,
        request_injectate=["local_anaesthetic", "corticosteroid"] if steroid else ["contrast"],
        request_steroid_mg_mpde=40 if steroid else 0,
        request_not_rfa_candidate_reason="pacemaker",
    )


def _rank(decision: str) -> int:
    return DECISIONS.index(decision)


@settings(max_examples=60, deadline=None)
@given(facts=cases(), flag=st.sampled_from(RED_FLAGS), pack=st.sampled_from(PACKS))
def test_adding_a_red_flag_never_makes_a_case_more_eligible(
    facts: dict[str, Any], flag: str, pack: Any
) -> None:
    before = evaluate(facts, pack)
    facts["red_flags"] = [flag]

    after = evaluate(facts, pack)

    assert _rank(after.decision) <= _rank(before.decision)
    assert after.decision == "refer_urgently"


@settings(max_examples=60, deadline=None)
@given(facts=cases(), data=st.data(), pack=st.sampled_from(PACKS))
def test_removing_a_prior_procedure_never_makes_a_frequency_rule_fail(
    facts: dict[str, Any], data: st.DataObject, pack: Any
) -> None:
    if not facts["history"]:
        return
    before = {r.id: r.outcome for r in evaluate(facts, pack).rules}
    index = data.draw(st.integers(0, len(facts["history"]) - 1))
    del facts["history"][index]

    after = {r.id: r.outcome for r in evaluate(facts, pack).rules}

    for rule_id in FREQUENCY_RULES & set(after):
        if after[rule_id] == "fail":
            assert before[rule_id] == "fail", rule_id


@settings(max_examples=60, deadline=None)
@given(facts=cases(), pack=st.sampled_from(PACKS), seed=st.randoms())
def test_the_decision_does_not_depend_on_the_order_of_the_history(
    facts: dict[str, Any], pack: Any, seed: Any
) -> None:
    before = evaluate(facts, pack)
    seed.shuffle(facts["history"])

    after = evaluate(facts, pack)

    assert after.decision == before.decision
    assert after.deciding_rules == before.deciding_rules
    assert [r.outcome for r in after.rules] == [r.outcome for r in before.rules]
