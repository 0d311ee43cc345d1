"""``facetcare policy``: check cases against a pack, list packs. No Django needed.

    facetcare policy check CASES.yaml --pack uk_nice_ng59_clinic [--json] [--pack-dir DIR]
    facetcare policy packs [--pack-dir DIR]

A clinic's own packs come from each ``--pack-dir`` and from the directory in the
FACETCARE_POLICY_PACK_DIR environment variable. Bad input (a missing file, bad
YAML, malformed facts, an unknown pack) prints one line on stderr and exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from facetcare.core.policy.decision import Decision
from facetcare.core.policy.engine import evaluate
from facetcare.core.policy.errors import FactsError, PolicyError
from facetcare.core.policy.packs import Pack, list_packs, load_pack

USAGE_ERROR = 2


class InputError(Exception):
    """A problem with the command's input, reported as one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facetcare policy", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="evaluate one case or a cases file against a pack")
    check.add_argument("file", type=Path, help="YAML or JSON: one case, or a mapping with cases:")
    check.add_argument("--pack", required=True, help="pack id, e.g. uk_nice_ng59_clinic")
    check.add_argument("--json", action="store_true", help="print a JSON list of decisions")
    check.add_argument("--pack-dir", type=Path, action="append", default=[])
    packs = commands.add_parser("packs", help="list the shipped and local packs")
    packs.add_argument("--pack-dir", type=Path, action="append", default=[])
    return parser


def _pack_dirs(given: list[Path]) -> list[Path]:
    from_env = os.environ.get("FACETCARE_POLICY_PACK_DIR", "").strip()
    return [*given, Path(from_env)] if from_env else given


def _read_cases(path: Path) -> list[tuple[str, Any]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        problem = str(exc).replace("\n", " ")
        raise InputError(f"{path}: is not valid YAML ({problem})") from exc
    if isinstance(raw, dict) and "cases" in raw:
        items = raw["cases"]
        if not isinstance(items, list):
            raise InputError(f"{path}: cases must be a list")
    else:
        items = [raw]
    cases = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("facts"), dict):
            raise InputError(f"{path}: case {index + 1} needs a facts mapping")
        cases.append((str(item.get("id", index + 1)), item["facts"]))
    return cases


def _explain(decision: Decision) -> str:
    deciding = ", ".join(decision.deciding_rules) or "none"
    lines = [
        f"Case {decision.case_id}: {decision.decision} "
        f"(pack {decision.pack_id} {decision.pack_version})",
        f"  deciding rules: {deciding}",
    ]
    for rule in decision.rules:
        produced = f" -> {rule.decision}" if rule.decision else ""
        lines.append(f"  {rule.id:<12} {rule.outcome}{produced}: {rule.message}")
    return "\n".join(lines)


def _summary(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.case_id,
        "decision": decision.decision,
        "deciding_rules": list(decision.deciding_rules),
        "rules": [
            {
                "id": r.id,
                "outcome": r.outcome,
                "decision": r.decision,
                "message": r.message,
                "source": list(r.source_ids),
            }
            for r in decision.rules
        ],
    }


def _check(args: argparse.Namespace) -> int:
    cases = _read_cases(args.file)
    pack: Pack = load_pack(args.pack, extra_dirs=_pack_dirs(args.pack_dir))
    decisions = []
    for case_id, facts in cases:
        try:
            decisions.append(evaluate(facts, pack, case_id=case_id))
        except FactsError as exc:
            raise InputError(f"{args.file}: case {case_id}: {exc.detail}") from exc
    if args.json:
        print(json.dumps([_summary(d) for d in decisions], indent=2))
    else:
        print("\n\n".join(_explain(d) for d in decisions))
    return 0


def _packs(args: argparse.Namespace) -> int:
    for info in list_packs(extra_dirs=_pack_dirs(args.pack_dir)):
        print(f"{info.id:<28} {info.version:<8} {info.origin:<8} {info.title}")
    return 0


def main(argv: Sequence[str]) -> int:
    """Run a ``facetcare policy`` command; returns the exit code (0 ok, 2 bad input)."""
    try:
        args = _parser().parse_args(list(argv))
    except SystemExit as exit_:
        # argparse has already printed its usage line; hand back the code instead of exiting.
        return int(exit_.code or 0)
    try:
        return _check(args) if args.command == "check" else _packs(args)
    except (InputError, PolicyError) as exc:
        print(f"facetcare policy: {exc}", file=sys.stderr)
        return USAGE_ERROR
