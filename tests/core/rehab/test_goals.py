"""Goals in the patient's words, matched to the goal tags exercises serve."""

import pytest

from facetcare.core.rehab import PlanningError, goal_tags, read_goals


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("turn my head to reverse the car", {"turning_head", "driving"}),
        ("Sit through a meeting", {"sitting_tolerance"}),
        ("play golf again", {"golf", "rotation"}),
        ("Lift my grandson", {"lifting"}),
        ("Pick up my granddaughter", {"lifting"}),
        ("Walk the dog for half an hour", {"walking"}),
        ("Work a full day at the screen", {"desk_work"}),
        ("Sleep through the night", {"sleep"}),
        ("Hang out the washing", {"reaching_overhead"}),
        ("Tie my shoelaces", {"bending"}),
        ("Get back to work", set()),
    ],
)
def test_a_goal_is_matched_to_the_tags_it_mentions(text: str, tags: set[str]) -> None:
    assert goal_tags(text) == tags


def test_words_inside_other_words_do_not_match() -> None:
    # "stand" inside "understand", "run" inside "brunch".
    assert goal_tags("Understand my pain over brunch") == frozenset()


def test_goals_are_trimmed_and_repeats_and_blanks_dropped() -> None:
    goals = read_goals(["  Play  golf again ", "", "play golf again", "Sit through a meeting"])

    assert [g.text for g in goals] == ["Play golf again", "Sit through a meeting"]
    assert goals[0].tags == {"golf", "rotation"}


def test_a_goal_longer_than_two_hundred_characters_is_refused() -> None:
    with pytest.raises(PlanningError) as raised:
        read_goals(["walk " * 50])

    assert raised.value.field == "goals"
