"""Loading and validating policy packs.

A pack is a YAML file: id, version, title, the blocks it ``includes`` (the
shared triage), ``parameters`` (thresholds and windows, as data) and ``rules``
(each naming a registered predicate and binding its arguments to parameters or
literal values). A pack may ``extends:`` another and override its parameters or
add rules: that is how a clinic tightens a shipped pack without copying it.
Shipped packs live beside this module; a clinic's own come from extra
directories. Every problem raises PackError naming the file and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

# Importing the predicate modules registers every predicate a pack may name.
from facetcare.core.policy import (  # noqa: F401
    predicates_blocks,
    predicates_frequency,
    predicates_patient,
    predicates_request,
    predicates_rf,
)
from facetcare.core.policy.decision import DECISIONS, Source
from facetcare.core.policy.errors import PackError, UnknownPack
from facetcare.core.policy.facts import REQUEST_REGIONS, REQUEST_TYPES
from facetcare.core.policy.registry import PREDICATES, Kind

SHIPPED_DIR = Path(__file__).parent / "packs"
PACK_ID = re.compile(r"^[a-z][a-z0-9_]*$")
VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")
SEVERITIES = ("required", "advisory")
RULE_KEYS = frozenset(
    {
        "id",
        "description",
        "predicate",
        "parameters",
        "arguments",
        "on_fail",
        "on_missing",
        "severity",
        "sources",
        "applies_to",
        "applies_to_regions",
        "confidence",
        "action",
    }
)


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    predicate: str
    parameters: Mapping[str, str]
    arguments: Mapping[str, Any]
    on_fail: str
    on_missing: str
    severity: str
    sources: tuple[str, ...]
    applies_to: tuple[str, ...] | None
    applies_to_regions: tuple[str, ...] | None
    confidence: str
    action: str | None


@dataclass(frozen=True)
class PackInfo:
    id: str
    version: str
    title: str
    origin: str
    path: Path


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    origin: str
    includes: tuple[str, ...]
    extends: str | None
    parameters: Mapping[str, Any]
    rules: tuple[Rule, ...]
    sources: Mapping[str, Source]
    red_flag_codes: frozenset[str] = field(default_factory=frozenset)

    def arguments_for(self, rule: Rule) -> dict[str, Any]:
        """The resolved arguments of ``rule``: literals plus the pack parameters it reads."""
        values = dict(rule.arguments)
        values.update({arg: self.parameters[name] for arg, name in rule.parameters.items()})
        return values


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PackError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: is not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise PackError(f"{path}: must be a mapping")
    return raw


def _candidates(pack_id: str, extra_dirs: Sequence[Path]) -> list[tuple[Path, str]]:
    found = [(SHIPPED_DIR / f"{pack_id}.yaml", "shipped")]
    found += [(Path(d) / f"{pack_id}.yaml", "local") for d in extra_dirs]
    return [(path, origin) for path, origin in found if path.is_file()]


def _locate(pack_id: str, extra_dirs: Sequence[Path]) -> tuple[Path, str]:
    if not PACK_ID.match(pack_id):
        raise UnknownPack(f"{pack_id!r} is not a pack id (lower case letters, digits and _)")
    found = _candidates(pack_id, extra_dirs)
    if not found:
        raise UnknownPack(f"unknown policy pack {pack_id!r}")
    if len(found) > 1 and found[0][1] == "shipped":
        raise PackError(
            f"{found[1][0]}: {pack_id!r} is a shipped pack; give the local pack its own id and "
            f"'extends: {pack_id}'"
        )
    return found[0]


def _block(name: str, extra_dirs: Sequence[Path]) -> tuple[Path, dict[str, Any]]:
    for directory in (SHIPPED_DIR, *map(Path, extra_dirs)):
        path = directory / "blocks" / f"{name}.yaml"
        if path.is_file():
            return path, _read(path)
    raise PackError(f"unknown block {name!r} in includes")


def _texts(where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PackError(f"{where}: must be a list of text")
    return tuple(value)


def _mapping(where: str, value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PackError(f"{where}: must be a mapping")
    return value


def _sources(where: str, raw: object) -> dict[str, Source]:
    sources = {}
    for key, value in _mapping(f"{where}: sources", raw).items():
        entry = _mapping(f"{where}: source {key}", value)
        if not isinstance(entry.get("title"), str):
            raise PackError(f"{where}: source {key} needs a title")
        sources[str(key)] = Source(str(key), entry["title"], str(entry.get("url", "")))
    return sources


def _choice(where: str, value: object, allowed: Sequence[str], default: str) -> str:
    value = default if value is None else value
    if value not in allowed:
        raise PackError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _optional_texts(where: str, value: object, allowed: Sequence[str]) -> tuple[str, ...] | None:
    if value is None:
        return None
    values = _texts(where, value)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise PackError(f"{where}: unknown {', '.join(unknown)}")
    return values


def _rule(where: str, raw: object) -> Rule:
    data = _mapping(where, raw)
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise PackError(f"{where}: every rule needs an id")
    at = f"{where} rule {rule_id}"
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise PackError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
    outcomes = DECISIONS[:-1]
    return Rule(
        id=rule_id,
        description=str(data.get("description", "")).strip(),
        predicate=str(data.get("predicate", "")),
        parameters={
            str(k): str(v) for k, v in _mapping(f"{at}: parameters", data.get("parameters")).items()
        },
        arguments=_mapping(f"{at}: arguments", data.get("arguments")),
        on_fail=_choice(f"{at}: on_fail", data.get("on_fail"), outcomes, "not_eligible"),
        on_missing=_choice(
            f"{at}: on_missing", data.get("on_missing"), outcomes, "needs_more_information"
        ),
        severity=_choice(f"{at}: severity", data.get("severity"), SEVERITIES, "required"),
        sources=_texts(f"{at}: sources", data.get("sources", [])),
        applies_to=_optional_texts(f"{at}: applies_to", data.get("applies_to"), REQUEST_TYPES),
        applies_to_regions=_optional_texts(
            f"{at}: applies_to_regions", data.get("applies_to_regions"), REQUEST_REGIONS
        ),
        confidence=str(data.get("confidence", "")),
        action=None if data.get("action") is None else str(data["action"]),
    )


def _rules(where: str, raw: object) -> list[Rule]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PackError(f"{where}: rules must be a list")
    return [_rule(where, item) for item in raw]


def _check_rule(
    where: str, rule: Rule, parameters: Mapping[str, Any], sources: Mapping[str, Any]
) -> None:
    at = f"{where} rule {rule.id}"
    spec = PREDICATES.get(rule.predicate)
    if spec is None:
        raise PackError(f"{at}: unknown predicate {rule.predicate!r}")
    for name in rule.parameters.values():
        if name not in parameters:
            raise PackError(f"{at}: reads parameter {name!r}, which the pack does not define")
    given = set(rule.parameters) | set(rule.arguments)
    for arg in sorted(set(spec.arguments) - given):
        raise PackError(f"{at}: predicate {spec.name} needs argument {arg!r}")
    for arg in sorted(given - set(spec.arguments)):
        raise PackError(f"{at}: predicate {spec.name} takes no argument {arg!r}")
    for arg, kind in spec.arguments.items():
        bound = rule.parameters.get(arg)
        value = parameters[bound] if bound is not None else rule.arguments[arg]
        if not kind.accepts(value):
            label = f"parameter {bound!r}" if bound else f"argument {arg!r}"
            raise PackError(f"{at}: {label} must be {kind.value}, got {value!r}")
    for source in rule.sources:
        if source not in sources:
            raise PackError(f"{at}: cites unknown source {source!r}")


def _check_pack(where: str, pack: Pack) -> None:
    seen: set[str] = set()
    for rule in pack.rules:
        if rule.id in seen:
            raise PackError(f"{where}: rule id {rule.id} appears twice")
        seen.add(rule.id)
        _check_rule(where, rule, pack.parameters, pack.sources)
    used = {name for rule in pack.rules for name in rule.parameters.values()}
    for name in sorted(set(pack.parameters) - used):
        raise PackError(f"{where}: parameter {name!r} is not read by any rule")


def _red_flag_codes(pack: Pack) -> frozenset[str]:
    codes: set[str] = set()
    for rule in pack.rules:
        spec = PREDICATES[rule.predicate]
        for arg, kind in spec.arguments.items():
            if kind is Kind.CODE_MAP:
                for values in pack.arguments_for(rule)[arg].values():
                    codes.update(values)
    return frozenset(codes)


def _header(path: Path, raw: Mapping[str, Any]) -> tuple[str, str, str]:
    pack_id, version, title = raw.get("id"), raw.get("version"), raw.get("title")
    if not isinstance(pack_id, str) or not PACK_ID.match(pack_id):
        raise PackError(f"{path}: id must be lower case letters, digits and _, got {pack_id!r}")
    if pack_id != path.stem:
        raise PackError(f"{path}: id {pack_id!r} must match the file name")
    if not isinstance(version, str) or not VERSION.match(version):
        raise PackError(f"{path}: version must look like 1.2.0 (quoted), got {version!r}")
    if not isinstance(title, str) or not title.strip():
        raise PackError(f"{path}: needs a title")
    return pack_id, version, title.strip()


@dataclass
class _Parts:
    """What a pack is assembled from, gathered from its base pack, blocks and own file."""

    parameters: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    includes: tuple[str, ...] = ()

    def add(self, where: str, raw: Mapping[str, Any]) -> None:
        self.parameters |= _mapping(f"{where}: parameters", raw.get("parameters"))
        self.rules += _rules(where, raw.get("rules"))
        self.sources |= _sources(where, raw.get("sources"))


def _base(
    where: str, extends: object, extra_dirs: Sequence[Path], chain: tuple[str, ...]
) -> _Parts:
    if extends is None:
        return _Parts()
    if not isinstance(extends, str):
        raise PackError(f"{where}: extends must name one pack")
    if extends in chain:
        raise PackError(f"{where}: extends {extends!r} in a loop")
    base = _load(extends, extra_dirs, chain)
    return _Parts(dict(base.parameters), list(base.rules), dict(base.sources), base.includes)


def _assemble(path: Path, origin: str, extra_dirs: Sequence[Path], chain: tuple[str, ...]) -> Pack:
    raw = _read(path)
    pack_id, version, title = _header(path, raw)
    where = str(path)
    own_includes = _texts(f"{where}: includes", raw.get("includes", []))
    extends = raw.get("extends")
    parts = _base(where, extends, extra_dirs, (*chain, pack_id))
    for name in own_includes:
        if name in parts.includes:
            continue
        block_path, block = _block(name, extra_dirs)
        parts.add(str(block_path), block)
        parts.includes = (*parts.includes, name)
    if extends is not None and not raw.get("rules"):
        own = _mapping(f"{where}: parameters", raw.get("parameters"))
        for name in sorted(set(own) - set(parts.parameters)):
            raise PackError(f"{where}: overrides unknown parameter {name!r} of {extends}")
    parts.add(where, raw)
    pack = Pack(
        id=pack_id,
        version=version,
        title=title,
        origin=origin,
        includes=parts.includes,
        extends=extends,
        parameters=MappingProxyType(parts.parameters),
        rules=tuple(parts.rules),
        sources=MappingProxyType(parts.sources),
    )
    _check_pack(where, pack)
    return replace(pack, red_flag_codes=_red_flag_codes(pack))


def _load(pack_id: str, extra_dirs: Sequence[Path], chain: tuple[str, ...]) -> Pack:
    path, origin = _locate(pack_id, extra_dirs)
    return _assemble(path, origin, extra_dirs, chain)


def load_pack(pack_id: str, *, extra_dirs: Sequence[Path] = ()) -> Pack:
    """Load, merge and validate the pack ``pack_id``.

    Shipped packs are found beside this module, a clinic's own in ``extra_dirs``
    (searched in order; a file is named ``<id>.yaml``). Raises PackError for an
    unknown id, unreadable YAML, a bad version, an unknown predicate, a rule
    reading a parameter the pack lacks, a parameter of the wrong type, an
    override of a parameter the base pack does not have, or an unknown source.
    """
    return _load(pack_id, extra_dirs, ())


def list_packs(*, extra_dirs: Sequence[Path] = ()) -> list[PackInfo]:
    """Id, version, title and origin (shipped or local) of every pack file, sorted by id.

    Only each file's header is read (files without an ``id`` are not packs and are
    skipped); use load_pack to validate one.
    """
    found: list[PackInfo] = []
    for directory, origin in [(SHIPPED_DIR, "shipped"), *((Path(d), "local") for d in extra_dirs)]:
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.yaml")):
            raw = _read(path)
            if "id" not in raw:
                continue  # not a pack: a clinic's folder may hold other YAML (cases, notes)
            pack_id, version, title = _header(path, raw)
            found.append(PackInfo(pack_id, version, title, origin, path))
    return sorted(found, key=lambda info: (info.id, info.origin))
