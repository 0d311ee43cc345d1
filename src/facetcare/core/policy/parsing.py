"""Reading raw facts (YAML or JSON mappings) into the typed values of ``facts``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

from facetcare.core.policy import facts as f
from facetcare.core.policy.anatomy import is_level
from facetcare.core.policy.errors import FactsError


class Reader:
    """Typed access to one mapping of raw facts; every error names the dotted path."""

    def __init__(self, raw: object, path: str) -> None:
        if not isinstance(raw, Mapping):
            raise FactsError(path or "facts", f"must be a mapping, got {_kind(raw)}")
        self.raw: Mapping[str, Any] = raw
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.raw.get(key) is not None

    def boolean(self, key: str) -> bool | None:
        value = self.raw.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise FactsError(self.at(key), f"must be true or false, got {value!r}")

    def integer(self, key: str, low: int | None = None, high: int | None = None) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactsError(self.at(key), f"must be a whole number, got {value!r}")
        _check_range(self.at(key), value, low, high)
        return value

    def number(self, key: str, low: float | None = None, high: float | None = None) -> float | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FactsError(self.at(key), f"must be a number, got {value!r}")
        _check_range(self.at(key), value, low, high)
        return float(value)

    def text(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None or isinstance(value, str):
            return value
        raise FactsError(self.at(key), f"must be text, got {value!r}")

    def choice(self, key: str, allowed: Collection[str]) -> str | None:
        value = self.text(key)
        if value is not None and value not in allowed:
            raise FactsError(
                self.at(key), f"unknown value {value!r}; expected one of {_or(allowed)}"
            )
        return value

    def texts(self, key: str, allowed: Collection[str] | None = None) -> tuple[str, ...] | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise FactsError(self.at(key), f"must be a list, got {_kind(value)}")
        for index, item in enumerate(value):
            where = f"{self.at(key)}.{index}"
            if not isinstance(item, str):
                raise FactsError(where, f"must be text, got {item!r}")
            if allowed is not None and item not in allowed:
                raise FactsError(where, f"unknown value {item!r}; expected one of {_or(allowed)}")
        return tuple(value)

    def day(self, key: str) -> date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            raise FactsError(self.at(key), "must be a date (YYYY-MM-DD), not a date and time")
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise FactsError(self.at(key), f"must be a date in YYYY-MM-DD form, got {value!r}")

    def required(self, key: str) -> None:
        if self.raw.get(key) is None:
            raise FactsError(self.at(key), "is required")

    def child(self, key: str) -> Reader | None:
        value = self.raw.get(key)
        return None if value is None else Reader(value, self.at(key))


def _check_range(path: str, value: float, low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        raise FactsError(path, f"must be between {low} and {high}, got {value}")


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _or(allowed: Collection[str]) -> str:
    return ", ".join(sorted(allowed))


def _levels(reader: Reader, key: str, *, check: bool) -> tuple[str, ...]:
    levels = reader.texts(key) or ()
    if check:
        for index, level in enumerate(levels):
            if not is_level(level):
                raise FactsError(
                    f"{reader.at(key)}.{index}",
                    f"{level!r} is not a spinal level such as C5-6, T12-L1 or L5-S1",
                )
    return levels


def parse_procedure(
    reader: Reader, *, types: Collection[str], regions: Collection[str]
) -> f.Procedure:
    for key in ("date", "type"):
        reader.required(key)
    region = reader.choice("region", regions)
    return f.Procedure(
        path=reader.path,
        date=reader.day("date") or date.min,
        type=reader.choice("type", types) or "",
        region=region,
        levels=_levels(reader, "levels", check=region != "other"),
        side=reader.choice("side", f.SIDES),
        agent=reader.text("agent"),
        relief_percent=reader.number("relief_percent", 0, 100),
        duration_concordant_with_agent=reader.boolean("duration_concordant_with_agent"),
        relief_duration_days=reader.integer("relief_duration_days", 0),
        same_pain_scale_as_baseline=reader.boolean("same_pain_scale_as_baseline"),
        steroid_mg_mpde=reader.number("steroid_mg_mpde", 0),
    )


def parse_request(reader: Reader) -> f.Request:
    for key in ("region", "levels", "side"):
        reader.required(key)
    procedure = parse_procedure(reader, types=f.REQUEST_TYPES, regions=f.REQUEST_REGIONS)
    if not procedure.levels:
        raise FactsError(reader.at("levels"), "must name at least one level")
    return f.Request(
        procedure=procedure,
        guidance=reader.choice("guidance", f.GUIDANCE),
        sedation=reader.choice("sedation", f.SEDATION),
        sedation_necessity_documented=reader.boolean("sedation_necessity_documented"),
        rf_modality=reader.choice("rf_modality", f.RF_MODALITIES),
        injectate=reader.texts("injectate", f.INJECTATES),
        same_day_other_blocks=reader.texts("same_day_other_blocks", f.SAME_DAY_BLOCKS) or (),
        same_day_other_blocks_necessity_documented=reader.boolean(
            "same_day_other_blocks_necessity_documented"
        ),
        not_rfa_candidate_reason=_reason(reader, "not_rfa_candidate_reason"),
        mbb_not_possible_reason=_reason(reader, "mbb_not_possible_reason"),
        recurrent_pain_source_in_question=reader.boolean("recurrent_pain_source_in_question"),
        second_dx_interval_exception_documented=reader.boolean(
            "second_dx_interval_exception_documented"
        ),
    )


def _reason(reader: Reader, key: str) -> str | None:
    text = reader.text(key)
    return text.strip() or None if text is not None else None


def _history(reader: Reader) -> tuple[f.Procedure, ...]:
    raw = reader.raw.get("history")
    if raw is None:
        return ()
    if not isinstance(raw, list | tuple):
        raise FactsError("history", f"must be a list, got {_kind(raw)}")
    return tuple(
        parse_procedure(
            Reader(item, f"history.{index}"), types=f.HISTORY_TYPES, regions=f.HISTORY_REGIONS
        )
        for index, item in enumerate(raw)
    )


def _disability(reader: Reader) -> f.Disability | None:
    child = reader.child("disability")
    if child is None:
        return None
    return f.Disability(
        instrument=child.choice("instrument", f.DISABILITY_INSTRUMENTS),
        score=child.number("score"),
    )


def _conservative_care(reader: Reader) -> f.ConservativeCare | None:
    child = reader.child("conservative_care")
    if child is None:
        return None
    return f.ConservativeCare(
        weeks=child.integer("weeks", 0),
        modalities=child.texts("modalities"),
        failed=child.boolean("failed"),
    )


def parse_facts(raw: object, *, red_flag_codes: Collection[str] | None = None) -> f.Facts:
    """Typed facts from a raw mapping.

    ``red_flag_codes``, when given, is the set of codes the pack's triage knows;
    any other code is an error rather than a silently ignored red flag.
    Raises FactsError (with the dotted field path) for malformed facts and for a
    missing ``request`` or a request without date, type, region, levels or side.
    """
    reader = Reader(raw, "")
    request = reader.child("request")
    if request is None:
        raise FactsError("request", "is required")
    return f.Facts(
        age=reader.integer("age", 0, 130),
        sex=reader.choice("sex", f.SEXES),
        postmenopausal=reader.boolean("postmenopausal"),
        osteoporosis=reader.boolean("osteoporosis"),
        red_flags_screened=reader.boolean("red_flags_screened"),
        red_flags=reader.texts("red_flags", red_flag_codes),
        suspected_axspa=reader.boolean("suspected_axspa"),
        symptom_pattern=reader.choice("symptom_pattern", f.SYMPTOM_PATTERNS),
        radiculopathy=reader.choice("radiculopathy", f.RADICULOPATHY),
        pain_duration_weeks=reader.integer("pain_duration_weeks", 0),
        nrs_pain=reader.integer("nrs_pain", 0, 10),
        pain_scale=reader.choice("pain_scale", f.PAIN_SCALES),
        disability=_disability(reader),
        conservative_care=_conservative_care(reader),
        non_facet_pathology_recorded="non_facet_pathology" in reader.raw,
        non_facet_pathology=_reason(reader, "non_facet_pathology"),
        widespread_pain_condition=reader.boolean("widespread_pain_condition"),
        prior_alif=reader.boolean("prior_alif"),
        history=_history(reader),
        request=parse_request(request),
    )
