"""The demo world as data: clinics, rooms, services, practitioners and holidays.

Every name, phone number and address is fictional. UK phone numbers come from
Ofcom's ranges reserved for drama (020 7946 0xxx, 0161 496 0xxx, 023 8049 6xxx);
US numbers from the 555-01xx block kept for fiction; emails use example.com.

A service has one price; a booking takes its currency from the clinic, so the
US sites charge the same figure in USD. That keeps the model simple for a demo
and is the only place where the two networks' prices meet.
"""

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

UK = "Europe/London"
US = "America/Los_Angeles"
WEEKDAYS = (0, 1, 2, 3, 4)


@dataclass(frozen=True)
class ClinicDef:
    slug: str
    name: str
    address: str
    postcode: str
    latitude: str
    longitude: str
    phone: str
    time_zone: str
    currency: str
    # (weekdays, opens, closes)
    hours: tuple[tuple[tuple[int, ...], time, time], ...]
    # (name, equipment tags, capacity)
    rooms: tuple[tuple[str, tuple[str, ...], int], ...]
    holidays: str


def _t(text: str) -> time:
    return time.fromisoformat(text)


NORTH_WEST_HOURS = (
    (WEEKDAYS, _t("08:00"), _t("20:00")),
    ((5,), _t("09:00"), _t("17:00")),
    ((6,), _t("09:00"), _t("16:00")),
)
PHYSIO_ROOMS = (
    ("Treatment room 1", ("couch",), 1),
    ("Treatment room 2", ("couch",), 1),
    ("Treatment room 3", ("couch",), 1),
)
US_HOURS = ((WEEKDAYS, _t("07:00"), _t("17:00")),)

CLINICS: tuple[ClinicDef, ...] = (
    ClinicDef(
        "manchester",
        "Northway Spine & Physio Manchester",
        "14 Quayside Chambers, Deansgate, Manchester",
        "M3 4ZZ",
        "53.47940",
        "-2.24510",
        "+441614960100",
        UK,
        "GBP",
        NORTH_WEST_HOURS,
        (
            *PHYSIO_ROOMS,
            ("Fluoroscopy suite", ("fluoroscopy",), 1),
            ("Pilates studio", ("studio",), 8),
            ("Consulting room", ("couch",), 1),
            ("Rehab gym", ("gym",), 1),
        ),
        "england_wales",
    ),
    ClinicDef(
        "salford",
        "Northway Spine & Physio Salford Quays",
        "3 Dockside Walk, Salford Quays, Salford",
        "M50 9ZZ",
        "53.47200",
        "-2.29700",
        "+441614960200",
        UK,
        "GBP",
        NORTH_WEST_HOURS,
        PHYSIO_ROOMS[:2],
        "england_wales",
    ),
    ClinicDef(
        "bolton",
        "Northway Spine & Physio Bolton",
        "27 Mill Lane, Bolton",
        "BL1 9ZZ",
        "53.57790",
        "-2.42940",
        "+441614960300",
        UK,
        "GBP",
        NORTH_WEST_HOURS,
        PHYSIO_ROOMS[:2],
        "england_wales",
    ),
    ClinicDef(
        "wigan",
        "Northway Spine & Physio Wigan",
        "8 Pier Approach, Wigan",
        "WN3 9ZZ",
        "53.54500",
        "-2.63250",
        "+441614960400",
        UK,
        "GBP",
        NORTH_WEST_HOURS,
        PHYSIO_ROOMS[:2],
        "england_wales",
    ),
    ClinicDef(
        "warrington",
        "Northway Spine & Physio Warrington",
        "51 Bridge Foot Row, Warrington",
        "WA1 9ZZ",
        "53.39000",
        "-2.59700",
        "+441614960500",
        UK,
        "GBP",
        NORTH_WEST_HOURS,
        PHYSIO_ROOMS[:2],
        "england_wales",
    ),
    ClinicDef(
        "southampton",
        "Solent Facet Physiotherapy Southampton",
        "6 Ocean Terrace, Southampton",
        "SO14 9ZZ",
        "50.90970",
        "-1.40440",
        "+442380496100",
        UK,
        "GBP",
        ((WEEKDAYS, _t("07:30"), _t("20:00")), ((5,), _t("08:00"), _t("13:00"))),
        (*PHYSIO_ROOMS[:2], ("Strength gym", ("gym",), 1)),
        "england_wales",
    ),
    ClinicDef(
        "west-hills",
        "Valley Spine Pain Medicine West Hills",
        "7300 Example Canyon Blvd, Suite 110, West Hills, CA",
        "91307",
        "34.19730",
        "-118.64400",
        "+18185550110",
        US,
        "USD",
        US_HOURS,
        (
            ("Exam room A", ("couch",), 1),
            ("Exam room B", ("couch",), 1),
            ("Fluoroscopy suite", ("fluoroscopy",), 1),
        ),
        "us_federal",
    ),
    ClinicDef(
        "bakersfield",
        "Valley Spine Pain Medicine Kern County",
        "2100 Example Truxtun Ave, Bakersfield, CA",
        "93301",
        "35.37330",
        "-119.01870",
        "+16615550120",
        US,
        "USD",
        US_HOURS,
        (("Exam room A", ("couch",), 1), ("Fluoroscopy suite", ("fluoroscopy",), 1)),
        "us_federal",
    ),
    ClinicDef(
        "ventura",
        "Valley Spine Pain Medicine Ventura County",
        "480 Example Main St, Ventura, CA",
        "93001",
        "34.27460",
        "-119.22900",
        "+18055550130",
        US,
        "USD",
        US_HOURS,
        (("Exam room A", ("couch",), 1), ("Fluoroscopy suite", ("fluoroscopy",), 1)),
        "us_federal",
    ),
)


@dataclass(frozen=True)
class ServiceDef:
    slug: str
    name: str
    category: str
    profession: str
    minutes: int
    price: Decimal
    description: str
    online_discount: Decimal = Decimal("0")
    buffer_before: int = 0
    buffer_after: int = 0
    equipment: tuple[str, ...] = ()
    capacity: int = 1
    online_bookable: bool = True
    procedure_type: str = ""
    region: str = ""
    min_notice_minutes: int = 120
    audience: str = ""
    preparation: str = ""


def _procedure(
    slug: str, name: str, *, kind: str, region: str, minutes: int, price: str
) -> ServiceDef:
    # Buffers: set-up and positioning before, recovery observation and room
    # turnover (clean, re-drape the C-arm) after.
    return ServiceDef(
        slug,
        name,
        "procedure",
        "pain_consultant",
        minutes,
        Decimal(price),
        f"Consultant-led, fluoroscopy-guided {name.lower()}; booked by staff after review.",
        buffer_before=15,
        buffer_after=30,
        equipment=("fluoroscopy",),
        online_bookable=False,
        procedure_type=kind,
        region=region,
        min_notice_minutes=24 * 60,
    )


SERVICES: tuple[ServiceDef, ...] = (
    ServiceDef(
        "facet-joint-assessment",
        "Facet joint assessment",
        "assessment",
        "physiotherapist",
        45,
        Decimal("75.00"),
        "First assessment: history, red-flag screening, examination, plan.",
        online_discount=Decimal("10"),
        audience=(
            "Anyone with neck, mid-back or low-back pain who has not been seen here before; "
            "no referral needed."
        ),
        preparation=(
            "Wear or bring loose clothing you can move in. Bring a list of your medicines "
            "and any scan or letter about your back or neck."
        ),
        buffer_after=5,
        equipment=("couch",),
    ),
    ServiceDef(
        "physiotherapy-follow-up",
        "Physiotherapy follow-up",
        "treatment",
        "physiotherapist",
        30,
        Decimal("55.00"),
        "Follow-up treatment and progression of your exercise programme.",
        online_discount=Decimal("10"),
        audience="Patients already assessed here, continuing their treatment plan.",
        preparation="Wear loose clothing and bring your exercise sheet or portal log.",
        equipment=("couch",),
    ),
    ServiceDef(
        "consultant-consultation",
        "Consultant consultation",
        "consultation",
        "pain_consultant",
        30,
        Decimal("220.00"),
        "Consultant in pain medicine: diagnosis and procedure options.",
        online_discount=Decimal("5"),
        audience=(
            "People whose pain has not settled with physiotherapy, or who want a specialist "
            "opinion on injections and nerve blocks."
        ),
        preparation=(
            "Bring a list of your medicines (especially blood thinners), any scan reports "
            "and your GP's or physiotherapist's letter if you have one."
        ),
        equipment=("couch",),
    ),
    _procedure(
        "cervical-facet-injection",
        "Cervical facet joint injection",
        kind="ia_therapeutic",
        region="cervical",
        minutes=30,
        price="1650.00",
    ),
    _procedure(
        "cervical-medial-branch-block",
        "Cervical medial branch block",
        kind="mbb_diagnostic",
        region="cervical",
        minutes=30,
        price="1350.00",
    ),
    _procedure(
        "thoracic-facet-injection",
        "Thoracic facet joint injection",
        kind="ia_therapeutic",
        region="thoracic",
        minutes=30,
        price="1550.00",
    ),
    _procedure(
        "lumbar-facet-injection",
        "Lumbar facet joint injection",
        kind="ia_therapeutic",
        region="lumbar",
        minutes=30,
        price="1450.00",
    ),
    _procedure(
        "lumbar-medial-branch-block",
        "Lumbar medial branch block",
        kind="mbb_diagnostic",
        region="lumbar",
        minutes=30,
        price="1350.00",
    ),
    _procedure(
        "lumbar-radiofrequency-ablation",
        "Lumbar radiofrequency ablation",
        kind="rfa",
        region="lumbar",
        minutes=60,
        price="2650.00",
    ),
    ServiceDef(
        "pilates-class",
        "Clinical Pilates class",
        "class",
        "pilates_instructor",
        55,
        Decimal("18.00"),
        "Small-group mat Pilates for spinal pain, led by a physiotherapist.",
        online_discount=Decimal("5"),
        audience="Adults with back or neck pain who can get down to and up from a mat.",
        preparation="Wear comfortable clothes, bring water; mats are provided.",
        buffer_after=5,
        equipment=("studio",),
        capacity=8,
        min_notice_minutes=60,
    ),
)
PHYSIO_SERVICES = ("facet-joint-assessment", "physiotherapy-follow-up")
CONSULTANT_SERVICES = (
    "consultant-consultation",
    "cervical-facet-injection",
    "cervical-medial-branch-block",
    "thoracic-facet-injection",
    "lumbar-facet-injection",
    "lumbar-medial-branch-block",
    "lumbar-radiofrequency-ablation",
)


@dataclass(frozen=True)
class Shift:
    clinic: str
    weekdays: tuple[int, ...]
    starts: str
    ends: str
    valid_from_offset_days: int | None = None  # None: from long ago
    valid_until_offset_days: int | None = None  # None: open-ended


@dataclass(frozen=True)
class PractitionerDef:
    key: str
    title: str
    first_name: str
    last_name: str
    profession: str
    registration: str
    services: tuple[str, ...]
    shifts: tuple[Shift, ...]
    # (days from today, number of days) of annual leave
    leave: tuple[tuple[int, int], ...] = field(default_factory=tuple)
