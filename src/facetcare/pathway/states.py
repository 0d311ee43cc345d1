"""The episode pathway as a transition table (plain data, used by the service and the pages).

    referred -> assessed -> conservative_care -> procedure_considered -> procedure
      -> post_procedure_rehab -> review -> discharged

Review loops back to conservative care or to a procedure decision (repeat within
limits, or radiofrequency after positive blocks). Any open state may go to
``referred_on``: a red flag or a non-facet diagnosis stops the pathway at once.
"""

from enum import StrEnum


class EpisodeState(StrEnum):
    REFERRED = "referred"
    ASSESSED = "assessed"
    CONSERVATIVE_CARE = "conservative_care"
    PROCEDURE_CONSIDERED = "procedure_considered"
    PROCEDURE = "procedure"
    POST_PROCEDURE_REHAB = "post_procedure_rehab"
    REVIEW = "review"
    DISCHARGED = "discharged"
    REFERRED_ON = "referred_on"


S = EpisodeState

CLOSED_STATES: frozenset[EpisodeState] = frozenset({S.DISCHARGED, S.REFERRED_ON})
OPEN_STATES: frozenset[EpisodeState] = frozenset(S) - CLOSED_STATES

# Forward moves between open states and to discharge; referred_on is added below
# for every open state.
_FORWARD: dict[EpisodeState, frozenset[EpisodeState]] = {
    S.REFERRED: frozenset({S.ASSESSED, S.DISCHARGED}),
    S.ASSESSED: frozenset({S.CONSERVATIVE_CARE, S.PROCEDURE_CONSIDERED, S.DISCHARGED}),
    S.CONSERVATIVE_CARE: frozenset({S.REVIEW, S.PROCEDURE_CONSIDERED, S.DISCHARGED}),
    S.PROCEDURE_CONSIDERED: frozenset({S.PROCEDURE, S.CONSERVATIVE_CARE, S.DISCHARGED}),
    S.PROCEDURE: frozenset({S.POST_PROCEDURE_REHAB}),
    S.POST_PROCEDURE_REHAB: frozenset({S.REVIEW, S.DISCHARGED}),
    S.REVIEW: frozenset({S.CONSERVATIVE_CARE, S.PROCEDURE_CONSIDERED, S.DISCHARGED}),
    S.DISCHARGED: frozenset(),
    S.REFERRED_ON: frozenset(),
}

TRANSITIONS: dict[EpisodeState, frozenset[EpisodeState]] = {
    state: targets | ({S.REFERRED_ON} if state in OPEN_STATES else frozenset())
    for state, targets in _FORWARD.items()
}


def allowed_targets(state: str) -> frozenset[EpisodeState]:
    """The states an episode in ``state`` may move to (empty once closed)."""
    return TRANSITIONS[EpisodeState(state)]


def is_allowed(source: str, target: str) -> bool:
    return EpisodeState(target) in allowed_targets(source)
