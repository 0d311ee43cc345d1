"""The pathway's transition table, enforced by transition_episode."""

import itertools

import pytest

from facetcare.audit.models import RecordVersion
from facetcare.errors import Conflict, Forbidden, InvalidInput
from facetcare.pathway.services import transition_episode
from facetcare.pathway.states import CLOSED_STATES, OPEN_STATES, TRANSITIONS, EpisodeState
from tests.pathway.world import ClinicalWorld, bare_episode

LEGAL = sorted((s.value, t.value) for s, targets in TRANSITIONS.items() for t in targets)
ILLEGAL = sorted(
    (s.value, t.value) for s in EpisodeState for t in EpisodeState if t not in TRANSITIONS[s]
)


def test_the_table_follows_the_pathway_from_referral_to_discharge() -> None:
    path = [
        "referred", "assessed", "conservative_care", "procedure_considered", "procedure",
        "post_procedure_rehab", "review", "discharged",
    ]  # fmt: skip
    for source, target in itertools.pairwise(path):
        assert EpisodeState(target) in TRANSITIONS[EpisodeState(source)]


def test_every_open_state_may_refer_on_and_closed_states_go_nowhere() -> None:
    for state in OPEN_STATES:
        assert EpisodeState.REFERRED_ON in TRANSITIONS[state]
    for state in CLOSED_STATES:
        assert TRANSITIONS[state] == frozenset()


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_it_allows_each_legal_transition_and_versions_it(
    cw: ClinicalWorld, source: str, target: str
) -> None:
    episode = bare_episode(cw, source)

    moved = transition_episode(
        episode=episode, to_state=target, acting_user=cw.consultant, reason="clinical decision"
    )

    assert moved.state == target
    episode.refresh_from_db()
    assert episode.state == target
    version = RecordVersion.objects.get(object_id=episode.pk, content_type__model="episode")
    assert version.snapshot["state"] == target
    assert version.changed_by == cw.consultant


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_it_refuses_each_illegal_transition_with_a_clear_error(
    cw: ClinicalWorld, source: str, target: str
) -> None:
    episode = bare_episode(cw, source)

    with pytest.raises(Conflict, match=f"cannot move from {source} to {target}"):
        transition_episode(episode=episode, to_state=target, acting_user=cw.physio, reason="x")

    episode.refresh_from_db()
    assert episode.state == source


def test_referring_on_needs_a_reason(cw: ClinicalWorld) -> None:
    episode = bare_episode(cw, "conservative_care")

    with pytest.raises(InvalidInput, match="why"):
        transition_episode(episode=episode, to_state="referred_on", acting_user=cw.physio)


def test_it_refuses_an_unknown_state(cw: ClinicalWorld) -> None:
    with pytest.raises(InvalidInput, match="not a pathway state"):
        transition_episode(episode=bare_episode(cw), to_state="cured", acting_user=cw.physio)


def test_a_receptionist_cannot_move_an_episode(cw: ClinicalWorld) -> None:
    with pytest.raises(Forbidden):
        transition_episode(
            episode=bare_episode(cw), to_state="assessed", acting_user=cw.receptionist
        )
