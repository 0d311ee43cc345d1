"""Policy check API: facts and a pack id in, the explained decision out."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from facetcare.core import policy
from facetcare.errors import InvalidInput
from facetcare.pathway import policy_packs
from facetcare.pathway.policy_schemas import PolicyCheckIn, PolicyDecisionOut, PolicyErrorOut
from facetcare.web.auth import StaffToken

router = Router(tags=["policy"], auth=StaffToken())
ERRORS = {401: PolicyErrorOut, 404: PolicyErrorOut, 422: PolicyErrorOut}


@router.post("/policy/check", response={200: PolicyDecisionOut} | ERRORS)
def check_policy(request: HttpRequest, payload: PolicyCheckIn) -> dict[str, Any]:
    """Evaluate ``facts`` under ``pack``. Every rule is reported with its outcome, message,
    the facts it used and its sources. 404 for an unknown pack; 422 naming the bad fact."""
    pack = policy_packs.get_pack(payload.pack)
    try:
        decision = policy.evaluate(payload.facts, pack, case_id=payload.id)
    except policy.FactsError as error:
        raise InvalidInput(error.detail, field=f"facts.{error.field}") from None
    return decision.to_dict()
