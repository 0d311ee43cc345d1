"""The report's sections h to j: planning a programme, the portal's Today page and the
clinic's outcomes page, with the care data set they ran on."""

from dataclasses import dataclass, field

from facetcare.bench.care import (
    CLINIC_OUTCOMES_MS,
    PLAN_P95_MS,
    SCORE_DAYS,
    TODAY_P95_MS,
    CareData,
)
from facetcare.bench.measure import Timing

HEADINGS = (
    "## h. Planning one programme",
    "## i. The portal's Today page",
    "## j. The clinic's outcomes page",
)
TARGETS = {
    "h": f"plan one personalised programme in the pure core: p95 <= {PLAN_P95_MS} ms",
    "i": f"portal Today page, full care data set: server time p95 <= {TODAY_P95_MS} ms",
    "j": f"clinic outcomes page at that scale: <= {CLINIC_OUTCOMES_MS} ms (p95)",
}


@dataclass
class CareResults:
    data: CareData | None = None
    planning: Timing | None = None
    today: Timing | None = None
    clinic: Timing | None = None
    plan_text: str = ""
    profiles: dict[str, str] = field(default_factory=dict)


def verdicts(care: CareResults | None) -> dict[str, bool | None]:
    care = care or CareResults()
    limits = {"h": PLAN_P95_MS, "i": TODAY_P95_MS, "j": CLINIC_OUTCOMES_MS}
    timings = {"h": care.planning, "i": care.today, "j": care.clinic}
    return {
        key: None if timing is None else timing.p95 <= limits[key]
        for key, timing in timings.items()
    }


def data_set(care: CareResults | None) -> list[str]:
    """The care data set's paragraph for the report's data-set section."""
    if care is None or care.data is None:
        return []
    data = care.data
    steps = "; ".join(f"{name} {seconds:.1f} s" for name, seconds in data.steps.items())
    rows = ", ".join(f"{table} {count:,}" for table, count in data.rows.items())
    return [
        "",
        f"The care data set (h to j): {data.patients:,} patients, each with an episode, a",
        "procedure for seven in ten (conservative care for the rest), a rehabilitation",
        "programme planned by the core planner (one of 90 plans by region, pathway, goals and",
        "cautions, dated from the patient's procedure or start of care, 0 to 199 days ago),",
        "its follow-up schedule and due measures as the outcomes app makes them (answered",
        "when due, but the licensed disability questionnaire, which is not loaded), PSFS",
        "answers, two weeks of exercise ticks, a portal account, and "
        f"{SCORE_DAYS} days of daily pain scores: {data.score_rows:,} score rows. One in ten",
        "episodes is discharged (its programme completed). Written by PostgreSQL itself",
        "(INSERT ... SELECT over generate_series), the score table's secondary indexes and",
        "foreign keys dropped for the load and put back (the keys validated), then vacuumed",
        f"and analysed: **{data.build_seconds:.1f} s** ({steps}).",
        f"Rows: {rows}.",
    ]


def _table(timing: Timing, limit: float, *, pages: bool) -> list[str]:
    verdict = "PASS" if timing.p95 <= limit else "FAIL"
    head = "| what | runs | median ms | p95 ms | p99 ms | target p95 |"
    rule = "| --- | --- | --- | --- | --- | --- |"
    row = (
        f"| {timing.label} | {len(timing.samples_ms)} | {timing.median:.2f} | {timing.p95:.2f}"
        f" | {timing.p99:.2f} | <= {limit} ms: {verdict} |"
    )
    if pages:
        head, rule = head + " queries | bytes |", rule + " --- | --- |"
        row += f" {timing.extra.get('queries', 'n/a')} | {timing.extra.get('bytes', 'n/a'):,} |"
    return [head, rule, row, ""]


def _fenced(title: str, text: str) -> list[str]:
    return [title, "", "```", text, "```", ""] if text else []


def sections(care: CareResults | None) -> list[str]:
    if care is None:
        return [heading for h in HEADINGS for heading in (h, "", "Not measured in this run.", "")]
    lines = [HEADINGS[0], ""]
    if care.planning is not None:
        lines += [
            "`core.rehab.plan_programme` for one template, the patient's goals and cautions,",
            "the shipped library, varied over every region and pathway, six goal sets and five",
            "caution sets (`core.rehab.timing.planning_calls`); pure Python, no database.",
            "",
            *_table(care.planning, PLAN_P95_MS, pages=False),
        ]
    lines += [HEADINGS[1], ""]
    if care.today is not None:
        lines += [
            "`GET /portal/` through Django's test client in this process, debug off, signed in",
            "(`force_login`) as a random patient holding an active programme: the programme",
            "with its phases and exercises, the exercises due with this week's ticks, the",
            "measures due today, upcoming appointments with their manage links, the access-log",
            "writes of each read, and the page. Queries: those of one request.",
            "",
            *_table(care.today, TODAY_P95_MS, pages=True),
            *_fenced("Profile (pyinstrument, wall time):", care.profiles.get("i", "")),
        ]
    lines += [HEADINGS[2], ""]
    if care.clinic is not None:
        lines += [
            "`GET /outcomes/clinic/` as a physiotherapist (second factor given), over every",
            "episode. What it aggregates (`outcomes.clinic_outcomes`): per pathway (an episode",
            "holding a facet injection, block or RF is post-injection, else conservative), the",
            "episodes with a first and a later NRS-11 score, the mean fall from first to latest,",
            "and how many fell by a clinically important amount (2 points or 30 %); the same",
            "for the PSFS mean (important: up 2); and the share of discharged episodes without",
            "any procedure. How: SQL aggregates, no Python loop over rows: one statement per",
            "measure groups the episodes by pathway, each episode's first and latest score",
            "found by correlated subqueries on the (episode, recorded_at) index (LIMIT 1 each",
            "way), and one statement counts the discharged episodes (NOT EXISTS). Its cost",
            "grows with the number of episodes (index probes per episode), not with the",
            "number of scores.",
            "",
            *_table(care.clinic, CLINIC_OUTCOMES_MS, pages=True),
            *_fenced(
                "The pain statement's plan (EXPLAIN ANALYZE, subplans elided):",
                care.plan_text,
            ),
        ]
    return lines


def elide_subplans(plan: str) -> str:
    """The plan's outline: each subplan's first line only, the rest of it dropped."""
    kept, inside = [], False
    for line in plan.splitlines():
        stripped = line.strip()
        if stripped.startswith("SubPlan"):
            kept.append(line)
            inside = True
            continue
        if inside and line.startswith("    "):
            if stripped.startswith("->  Limit"):
                kept.append(line)
            continue
        inside = False
        kept.append(line)
    return "\n".join(kept)
