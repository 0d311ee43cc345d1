"""POST /api/v1/policy/check: staff send facts and a pack id and get the explained decision."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from facetcare.pathway import policy_packs
from facetcare.web.roles import Role
from tests.core.policy.conftest import case, public_cases
from tests.factories import make_staff

URL = "/api/v1/policy/check"


@pytest.fixture
def consultant_token(db: None) -> str:
    return make_staff(Role.CONSULTANT)[1]


def post(client: Client, body: dict[str, Any], token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_consultant_gets_the_decision_explained_rule_by_rule(
    client: Client, consultant_token: str
) -> None:
    pc38 = next(c for c in public_cases() if c["id"] == "PC-38")

    response = post(
        client, {"pack": "uk_nice_ng59_clinic", "facts": pc38["facts"], "id": "PC-38"},
        consultant_token,
    )  # fmt: skip

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "PC-38"
    assert (body["decision"], body["deciding_rules"]) == ("not_eligible", ["UK-STER-01"])
    assert body["pack"] == {
        "id": "uk_nice_ng59_clinic",
        "version": "1.0.0",
        "title": (
            "UK clinic aligned to NICE NG59 (lumbar) with local policy for cervical facet pain"
        ),
        "origin": "shipped",
    }
    steroid = next(r for r in body["rules"] if r["id"] == "UK-STER-01")
    assert steroid["outcome"] == "fail"
    assert steroid["source"] == ["SRC-MNT-ESI", "SRC-BIOLOGYINSIGHTS-ESI"]
    assert steroid["facts_used"]["steroid_sessions_in_window"] == 4


def test_a_request_without_a_token_is_refused(client: Client, db: None) -> None:
    response = post(client, {"pack": "uk_nice_ng59_clinic", "facts": case()}, None)

    assert response.status_code == 401


def test_a_token_whose_holder_is_now_a_referrer_is_refused(client: Client, db: None) -> None:
    _, token = make_staff(Role.REFERRER)

    response = post(client, {"pack": "uk_nice_ng59_clinic", "facts": case()}, token)

    assert response.status_code == 401


def test_malformed_facts_get_422_naming_the_field(client: Client, consultant_token: str) -> None:
    response = post(
        client, {"pack": "medicare_lcd_l38773", "facts": case(request_date="10/02/2026")},
        consultant_token,
    )  # fmt: skip

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["facts.request.date"]


def test_an_unknown_pack_is_404(client: Client, consultant_token: str) -> None:
    response = post(client, {"pack": "no_such_pack", "facts": case()}, consultant_token)

    assert response.status_code == 404
    assert "no_such_pack" in response.json()["detail"]


def test_a_body_without_facts_is_422(client: Client, consultant_token: str) -> None:
    response = post(client, {"pack": "medicare_lcd_l38773"}, consultant_token)

    assert response.status_code == 422
    assert "facts" in response.json()["fields"]


def test_the_clinic_pack_folder_from_settings_is_used(
    client: Client, consultant_token: str, settings: Any, tmp_path: Path
) -> None:
    (tmp_path / "northside_clinic.yaml").write_text(
        'id: northside_clinic\nversion: "1.1.0"\ntitle: Northside\n'
        "extends: uk_nice_ng59_clinic\nparameters: {min_nrs: 8}\n"
    )
    settings.FACETCARE_POLICY_PACK_DIR = str(tmp_path)
    policy_packs.clear_cache()

    response = post(client, {"pack": "northside_clinic", "facts": case()}, consultant_token)

    assert response.status_code == 200
    assert response.json()["deciding_rules"] == ["UK-GEN-04"]
    assert response.json()["pack"]["origin"] == "local"


@pytest.mark.parametrize("pack", ["medicare_lcd_l38773", "uk_nice_ng59_clinic"])
@pytest.mark.parametrize("public", public_cases(), ids=lambda c: c["id"])
def test_every_public_case_gets_its_expected_decision_through_the_api(
    client: Client, consultant_token: str, public: dict[str, Any], pack: str
) -> None:
    response = post(client, {"pack": pack, "facts": public["facts"]}, consultant_token)

    expected = public["expected"][pack]
    assert response.status_code == 200
    body = response.json()
    assert (body["decision"], body["deciding_rules"]) == (
        expected["decision"],
        expected["reason_rules"],
    )
