"""The red-flag banner: each category maps to its action, most urgent first."""

import pytest

from facetcare.core.policy import list_packs, load_pack
from facetcare.pathway.red_flags import ALL_CODES, CATEGORIES, Urgency, banners_for

CAUDA_EQUINA_ACTION = (
    "Emergency: same-day referral to the emergency department / on-call spinal team"
)


@pytest.mark.parametrize(
    ("code", "category", "urgency", "action_starts"),
    [
        ("saddle_anaesthesia", "cauda_equina", Urgency.EMERGENCY, CAUDA_EQUINA_ACTION),
        (
            "suspected_metastatic_cord_compression",
            "malignancy",
            Urgency.URGENT,
            "Urgent: refer on the MSCC pathway",
        ),
        ("fever_or_rigors", "infection", Urgency.EMERGENCY, "Emergency"),
        ("minor_trauma_with_osteoporosis", "fracture", Urgency.URGENT, "Urgent: imaging"),
        ("myelopathy_signs", "neurological", Urgency.URGENT, "Urgent: specialist spinal"),
    ],
)
def test_each_red_flag_category_shows_its_action(
    code: str, category: str, urgency: Urgency, action_starts: str
) -> None:
    [banner] = banners_for([code], suspected_axspa=False)

    assert banner.category == category
    assert banner.urgency == urgency
    assert banner.action.startswith(action_starts)
    assert banner.codes == (code,)


def test_suspected_axspa_is_a_rheumatology_referral_not_an_emergency() -> None:
    [banner] = banners_for([], suspected_axspa=True)

    assert banner.category == "axspa"
    assert banner.urgency == Urgency.ROUTINE
    assert "rheumatology" in banner.action
    assert "not an emergency" in banner.action


def test_the_most_urgent_banner_comes_first() -> None:
    banners = banners_for(["unexplained_weight_loss", "urinary_retention"], suspected_axspa=True)

    assert [b.category for b in banners] == ["cauda_equina", "malignancy", "axspa"]


def test_no_flags_means_no_banner() -> None:
    assert banners_for([], suspected_axspa=False) == []


def test_an_unknown_code_is_refused_rather_than_shown_to_nobody() -> None:
    with pytest.raises(ValueError, match="back_ache"):
        banners_for(["back_ache"], suspected_axspa=False)


def test_the_taxonomy_matches_the_policy_reference_codes() -> None:
    assert len(ALL_CODES) == 22
    assert "new_sexual_dysfunction" in ALL_CODES
    assert "widespread_neuro_deficit" in ALL_CODES


@pytest.mark.parametrize("pack_id", [info.id for info in list_packs()])
def test_the_taxonomy_is_the_one_every_shipped_pack_triages_on(pack_id: str) -> None:
    # The codes are written twice, in the triage block (for the engine) and here (with
    # labels and actions for the pages): a code one knows and the other does not would
    # be refused by the engine, or banner-less on the page.
    pack = load_pack(pack_id)
    assert pack.parameters["red_flag_codes"] == {c.key: list(c.codes) for c in CATEGORIES}
    assert pack.red_flag_codes == frozenset(ALL_CODES)
