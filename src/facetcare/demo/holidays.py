"""Public holidays the demo clinics close for."""

from datetime import date

# GOV.UK's published England and Wales bank holidays, 2026 and 2027 (substitute
# days where the date falls on a weekend).
HOLIDAYS: dict[str, tuple[tuple[date, str], ...]] = {
    "england_wales": tuple(
        (date.fromisoformat(day), name)
        for day, name in (
            ("2026-01-01", "New Year's Day"),
            ("2026-04-03", "Good Friday"),
            ("2026-04-06", "Easter Monday"),
            ("2026-05-04", "Early May bank holiday"),
            ("2026-05-25", "Spring bank holiday"),
            ("2026-08-31", "Summer bank holiday"),
            ("2026-12-25", "Christmas Day"),
            ("2026-12-28", "Boxing Day (substitute day)"),
            ("2027-01-01", "New Year's Day"),
            ("2027-03-26", "Good Friday"),
            ("2027-03-29", "Easter Monday"),
            ("2027-05-03", "Early May bank holiday"),
            ("2027-05-31", "Spring bank holiday"),
            ("2027-08-30", "Summer bank holiday"),
            ("2027-12-27", "Christmas Day (substitute day)"),
            ("2027-12-28", "Boxing Day (substitute day)"),
        )
    ),
    # US federal holidays as observed (5 U.S.C. 6103), 2026 and 2027.
    "us_federal": tuple(
        (date.fromisoformat(day), name)
        for day, name in (
            ("2026-01-01", "New Year's Day"),
            ("2026-01-19", "Martin Luther King Jr. Day"),
            ("2026-02-16", "Washington's Birthday"),
            ("2026-05-25", "Memorial Day"),
            ("2026-06-19", "Juneteenth"),
            ("2026-07-03", "Independence Day (observed)"),
            ("2026-09-07", "Labor Day"),
            ("2026-10-12", "Columbus Day"),
            ("2026-11-11", "Veterans Day"),
            ("2026-11-26", "Thanksgiving Day"),
            ("2026-12-25", "Christmas Day"),
            ("2027-01-01", "New Year's Day"),
            ("2027-01-18", "Martin Luther King Jr. Day"),
            ("2027-02-15", "Washington's Birthday"),
            ("2027-05-31", "Memorial Day"),
            ("2027-06-18", "Juneteenth (observed)"),
            ("2027-07-05", "Independence Day (observed)"),
            ("2027-09-06", "Labor Day"),
            ("2027-10-11", "Columbus Day"),
            ("2027-11-11", "Veterans Day"),
            ("2027-11-25", "Thanksgiving Day"),
            ("2027-12-24", "Christmas Day (observed)"),
        )
    ),
}
