"""The demo practitioners and their weekly patterns (fictional people and numbers).

Registration numbers are made up: HCPC-style ``PH9xxxxx`` for physiotherapists,
seven-digit GMC-style numbers starting 99 for UK doctors, and California
``A-99xxx`` licences for the US consultants.
"""

from facetcare.demo.catalogue import CONSULTANT_SERVICES, PHYSIO_SERVICES, PractitionerDef, Shift

MON_FRI = (0, 1, 2, 3, 4)
PHYSIO = "physiotherapist"
CONSULTANT = "pain_consultant"

PRACTITIONERS: tuple[PractitionerDef, ...] = (
    # Manchester: long days covered by an early and a late shift, a split shift,
    # weekend rota and a part-timer.
    PractitionerDef(
        "priya-raman",
        "",
        "Priya",
        "Raman",
        PHYSIO,
        "PH900101",
        PHYSIO_SERVICES,
        (Shift("manchester", MON_FRI, "08:00", "16:00"),),
        leave=((7, 3),),
    ),
    PractitionerDef(
        "tom-ashworth",
        "",
        "Tom",
        "Ashworth",
        PHYSIO,
        "PH900102",
        PHYSIO_SERVICES,
        (
            Shift("manchester", MON_FRI, "12:00", "20:00"),
            Shift("manchester", (5,), "09:00", "17:00"),
        ),
    ),
    PractitionerDef(
        "siobhan-kelly",
        "",
        "Siobhan",
        "Kelly",
        PHYSIO,
        "PH900103",
        PHYSIO_SERVICES,
        (
            Shift("manchester", (0, 2, 4), "08:00", "12:00"),
            Shift("manchester", (0, 2, 4), "16:00", "20:00"),
            Shift("manchester", (6,), "09:00", "16:00"),
        ),
    ),
    PractitionerDef(
        "jess-whitfield",
        "",
        "Jess",
        "Whitfield",
        "pilates_instructor",
        "PH900104",
        ("pilates-class",),
        (
            Shift("manchester", (0, 2), "17:30", "20:00"),
            Shift("manchester", (5,), "09:00", "12:00"),
        ),
    ),
    # Salford and Bolton share one physio; Bolton's other physio moves to Wigan
    # on a future date, so the pattern changes without rewriting history.
    PractitionerDef(
        "daniel-okafor",
        "",
        "Daniel",
        "Okafor",
        PHYSIO,
        "PH900105",
        PHYSIO_SERVICES,
        (
            Shift("salford", (0, 1), "08:00", "18:00"),
            Shift("bolton", (2, 3, 4), "09:00", "17:00"),
        ),
    ),
    PractitionerDef(
        "hannah-lees",
        "",
        "Hannah",
        "Lees",
        PHYSIO,
        "PH900106",
        PHYSIO_SERVICES,
        (
            Shift("bolton", MON_FRI, "08:00", "16:00", valid_until_offset_days=13),
            Shift("wigan", (0, 1, 2), "12:00", "20:00", valid_from_offset_days=14),
        ),
    ),
    PractitionerDef(
        "ravi-mistry",
        "",
        "Ravi",
        "Mistry",
        PHYSIO,
        "PH900107",
        PHYSIO_SERVICES,
        (
            Shift("salford", (2, 3, 4), "12:00", "20:00"),
            Shift("salford", (5,), "09:00", "17:00"),
        ),
    ),
    PractitionerDef(
        "ellie-brennan",
        "",
        "Ellie",
        "Brennan",
        PHYSIO,
        "PH900108",
        PHYSIO_SERVICES,
        (Shift("wigan", MON_FRI, "08:00", "16:00"), Shift("wigan", (6,), "09:00", "16:00")),
    ),
    PractitionerDef(
        "gareth-pryce",
        "",
        "Gareth",
        "Pryce",
        PHYSIO,
        "PH900109",
        PHYSIO_SERVICES,
        (Shift("warrington", (0, 1, 3), "09:00", "15:00"),),  # part-time
    ),
    PractitionerDef(
        "nadia-sayed",
        "",
        "Nadia",
        "Sayed",
        PHYSIO,
        "PH900110",
        PHYSIO_SERVICES,
        (
            Shift("warrington", MON_FRI, "12:00", "20:00"),
            Shift("warrington", (5,), "09:00", "17:00"),
        ),
    ),
    # Consultants: clinics in the morning, the fluoroscopy list in the afternoon.
    PractitionerDef(
        "anjali-mehta",
        "Dr",
        "Anjali",
        "Mehta",
        CONSULTANT,
        "9900123",
        CONSULTANT_SERVICES,
        (
            Shift("manchester", (1, 3), "08:30", "13:00"),
            Shift("manchester", (1, 3), "14:00", "18:00"),
        ),
        leave=((10, 1),),
    ),
    PractitionerDef(
        "marcus-holloway",
        "Dr",
        "Marcus",
        "Holloway",
        CONSULTANT,
        "9900456",
        CONSULTANT_SERVICES,
        (Shift("manchester", (0, 4), "09:00", "17:00"),),
    ),
    # Southampton physiotherapy.
    PractitionerDef(
        "sam-fletcher",
        "",
        "Sam",
        "Fletcher",
        PHYSIO,
        "PH900111",
        PHYSIO_SERVICES,
        (Shift("southampton", MON_FRI, "07:30", "15:30"),),
    ),
    PractitionerDef(
        "amira-haddad",
        "",
        "Amira",
        "Haddad",
        PHYSIO,
        "PH900112",
        PHYSIO_SERVICES,
        (
            Shift("southampton", (0, 1, 2, 3), "12:00", "20:00"),
            Shift("southampton", (5,), "08:00", "13:00"),
        ),
    ),
    # Valley Spine Pain Medicine (California).
    PractitionerDef(
        "elena-vasquez",
        "Dr",
        "Elena",
        "Vasquez",
        CONSULTANT,
        "A-99017",
        CONSULTANT_SERVICES,
        (
            Shift("west-hills", (0, 2), "07:00", "17:00"),
            Shift("ventura", (1, 3), "08:00", "16:00"),
        ),
    ),
    PractitionerDef(
        "michael-chen",
        "Dr",
        "Michael",
        "Chen",
        CONSULTANT,
        "A-99042",
        CONSULTANT_SERVICES,
        (
            Shift("bakersfield", (0, 1, 3), "07:00", "15:00"),
            Shift("west-hills", (4,), "07:00", "12:00"),
        ),
    ),
    PractitionerDef(
        "jordan-reyes",
        "",
        "Jordan",
        "Reyes",
        PHYSIO,
        "PT-99301",
        PHYSIO_SERVICES,
        (Shift("west-hills", MON_FRI, "07:00", "15:30"),),
    ),
    PractitionerDef(
        "kayla-morgan",
        "",
        "Kayla",
        "Morgan",
        PHYSIO,
        "PT-99302",
        PHYSIO_SERVICES,
        (
            Shift("bakersfield", (1, 2, 3), "08:00", "17:00"),
            Shift("ventura", (4,), "08:00", "17:00"),
        ),
    ),
)
