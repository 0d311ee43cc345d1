"""The "try this" walkthrough printed after loading: which patient, which login, what to do."""

from facetcare.demo.clinical import Case


def render_walkthrough(cases: list[Case], base_url: str) -> list[str]:
    by_key = {case.key: case for case in cases}

    def where(key: str) -> str:
        case = by_key[key]
        return (
            f"{case.patient.first_name} {case.patient.last_name} "
            f"(patient #{case.patient.pk}, {base_url}/pathway/episodes/{case.episode.pk}/)"
        )

    return [
        "Try the clinical pathway (Patients, then search by surname):",
        f"  1. physio: {where('a')}",
        "     newly referred. New assessment, tick a red flag: the banner says what to do now.",
        f"  2. physio: {where('b')}",
        "     assessed with suspected cauda equina: the red-flag banner shows at once.",
        f"  3. consultant: {where('c')}",
        "     Policy check: Therapeutic intra-articular facet injection (the plan fills the rest).",
        "     Not eligible under UK-STER-01: three steroid injections in six months already,",
        "     one an epidural elsewhere. Override with a reason, Book this procedure,",
        "     then Record a procedure and its response.",
        f"  4. consultant: {where('d')}",
        "     first diagnostic medial branch block, eligible and booked: Record a procedure,",
        "     then its response.",
        f"  5. physio: {where('e')}",
        "     a Medicare patient (medicare_lcd_l38773) referred to West Hills, Los Angeles.",
        f"  6. manager: Access log ({base_url}/audit/access-log/), patient number from above:",
        "     who read or changed which record, and when.",
        f"  7. referrer: sees only {by_key['a'].patient.first_name} "
        f"{by_key['a'].patient.last_name}, the patient this referrer sent.",
        "Dates count back from the day the cases were built; `facetcare demo --reset`",
        "rebuilds them from today.",
    ]
