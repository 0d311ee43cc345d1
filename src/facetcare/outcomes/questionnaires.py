"""Questionnaires as FHIR ``Questionnaire`` resources: their shape, the patient's own
PSFS, and how answers are checked and scored.

A resource is accepted when it reads like this (the subset FacetCare asks):

    {"resourceType": "Questionnaire", "title": "...", "item": [
        {"linkId": "q1", "text": "...", "type": "choice", "required": true,
         "answerOption": [{"valueCoding": {"code": "0", "display": "..."}}, ...]},
        {"linkId": "q2", "text": "...", "type": "integer",
         "extension": [{"url": MIN_VALUE, "valueInteger": 0},
                       {"url": MAX_VALUE, "valueInteger": 10}]},
        {"linkId": "g", "text": "...", "type": "group", "item": [...]}]}

Answers are whole numbers: a choice answers with its option's code (or
``valueInteger``), an integer item with a number inside its bounds.
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from facetcare.errors import InvalidInput

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ANSWERED_TYPES = frozenset({"integer", "choice"})
OTHER_TYPES = frozenset({"group", "display"})
PSFS_CODE = "PSFS"
PSFS_MAX_ACTIVITIES = 5


@dataclass(frozen=True)
class Question:
    """One answerable item: its allowed whole-number answers, lowest to highest."""

    link_id: str
    text: str
    allowed: tuple[int, ...]
    required: bool
    labels: Mapping[int, str]

    @property
    def maximum(self) -> int:
        return self.allowed[-1]


def _bound(item: Mapping[str, Any], url: str) -> int | None:
    for extension in item.get("extension") or []:
        if isinstance(extension, dict) and extension.get("url") == url:
            value = extension.get("valueInteger")
            return value if isinstance(value, int) else None
    return None


def _options(item: Mapping[str, Any], where: str) -> tuple[tuple[int, ...], dict[int, str]]:
    options = item.get("answerOption")
    if not isinstance(options, list) or not options:
        raise InvalidInput(f"{where} needs answerOption values", field="resource")
    values, labels = [], {}
    for index, option in enumerate(options):
        coding = option.get("valueCoding") if isinstance(option, dict) else None
        raw = coding.get("code") if isinstance(coding, dict) else None
        if raw is None and isinstance(option, dict):
            raw = option.get("valueInteger")
        try:
            value = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise InvalidInput(
                f"{where}.answerOption[{index}] needs a whole-number code", field="resource"
            ) from None
        values.append(value)
        labels[value] = (
            str(coding.get("display", value)) if isinstance(coding, dict) else str(value)
        )
    return tuple(sorted(set(values))), labels


def _question(item: Mapping[str, Any], where: str) -> Question:
    if item.get("answerOption"):
        allowed, labels = _options(item, where)
    else:
        low, high = _bound(item, MIN_VALUE), _bound(item, MAX_VALUE)
        if item["type"] == "choice" or low is None or high is None or high < low:
            raise InvalidInput(
                f"{where} needs answerOption or minValue/maxValue extensions", field="resource"
            )
        allowed, labels = tuple(range(low, high + 1)), {}
    return Question(item["linkId"], item["text"], allowed, bool(item.get("required")), labels)


def _walk(items: Any, where: str, seen: set[str]) -> Iterator[Question]:
    if not isinstance(items, list):
        raise InvalidInput(f"{where} must be a list of items", field="resource")
    for index, item in enumerate(items):
        here = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{here} must be an object", field="resource")
        link_id, text, kind = item.get("linkId"), item.get("text"), item.get("type")
        if not isinstance(link_id, str) or not link_id.strip() or link_id in seen:
            raise InvalidInput(f"{here}.linkId must be present and unique", field="resource")
        seen.add(link_id)
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(f"{here}.text is missing", field="resource")
        if kind == "group":
            yield from _walk(item.get("item"), f"{here}.item", seen)
        elif kind in ANSWERED_TYPES:
            yield _question(item, here)
        elif kind != "display":
            raise InvalidInput(
                f"{here}.type must be one of choice, integer, group, display", field="resource"
            )


def questions_of(resource: Any, *, allow_empty: bool = False) -> list[Question]:
    """The answerable questions of a Questionnaire resource, in order; InvalidInput
    (field ``resource``, the item's path in the message) if it is not one."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "Questionnaire":
        raise InvalidInput(
            'A questionnaire needs "resourceType": "Questionnaire"', field="resource"
        )
    if not isinstance(resource.get("title"), str) or not resource["title"].strip():
        raise InvalidInput("A questionnaire needs a title", field="resource")
    questions = list(_walk(resource.get("item", []), "item", set()))
    if not questions and not allow_empty:
        raise InvalidInput("A questionnaire needs at least one question", field="resource")
    return questions


def psfs_resource(template: Mapping[str, Any], goals: Sequence[str]) -> dict[str, Any]:
    """The patient's own PSFS: one 0-10 ability item per activity they named."""
    activities = [goal.strip() for goal in goals if goal and goal.strip()][:PSFS_MAX_ACTIVITIES]
    items = [
        {
            "linkId": f"activity-{number}",
            "text": goal,
            "type": "integer",
            "required": True,
            "extension": [
                {"url": MIN_VALUE, "valueInteger": 0},
                {"url": MAX_VALUE, "valueInteger": 10},
            ],
        }
        for number, goal in enumerate(activities, start=1)
    ]
    return {**template, "item": items}


def checked_answers(
    questions: Sequence[Question], answers: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Answers as stored, ``[{"linkId", "text", "value"}]``; InvalidInput naming the
    question (``answers.<linkId>``) for a missing, unknown or out-of-range answer."""
    known = {question.link_id for question in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InvalidInput(
            f"No question {unknown[0]!r} in this questionnaire", field=f"answers.{unknown[0]}"
        )
    stored = []
    for question in questions:
        raw = answers.get(question.link_id)
        if raw in (None, ""):
            if question.required:
                raise InvalidInput(f"Answer “{question.text}”", field=f"answers.{question.link_id}")
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(raw, bool) or value not in question.allowed:
            raise InvalidInput(
                f"“{question.text}” takes {question.allowed[0]} to {question.maximum}",
                field=f"answers.{question.link_id}",
            )
        stored.append({"linkId": question.link_id, "text": question.text, "value": value})
    return stored


def score(
    scoring: str, questions: Sequence[Question], stored: Sequence[Mapping[str, Any]]
) -> Decimal | None:
    """The total as the instrument is scored: sum, mean, or sum as a percentage of
    the answered items' maximum; None when unscored or nothing was answered."""
    values = [Decimal(item["value"]) for item in stored]
    if scoring == "none" or not values:
        return None
    total = sum(values, Decimal(0))
    if scoring == "mean":
        return (total / len(values)).quantize(Decimal("0.01"))
    if scoring == "percent":
        maxima = {q.link_id: q.maximum for q in questions}
        top = sum(Decimal(maxima[item["linkId"]]) for item in stored)
        return (total * 100 / top).quantize(Decimal("0.01")) if top else None
    return total
