"""Where a typed place is: a small shipped gazetteer, so "nearest to me" needs no network call.

``data/gazetteer.csv`` holds approximate centres of UK postcode areas and
districts, US ZIP codes (five digits) and ZIP prefixes (three), and towns. A
full postcode is looked up by its outward code ("M3 4ZZ" -> M3, then the area
M); a ZIP code by itself, then by its first three digits. Rough is enough: the
answer only orders clinics by distance.
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).with_name("data") / "gazetteer.csv"

_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?:\s*([0-9][A-Z]{2}))?$")
_US_ZIP = re.compile(r"^([0-9]{5})(?:-?[0-9]{4})?$")
# Words a person may add after a town that say only which country it is in.
_COUNTRY_WORDS = {"uk", "gb", "england", "scotland", "wales", "usa", "us", "united states"}


@dataclass(frozen=True, slots=True)
class Place:
    """A place found in the gazetteer: its name and approximate centre in degrees."""

    name: str
    latitude: float
    longitude: float

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@functools.cache
def _entries() -> dict[tuple[str, str], Place]:
    with DATA.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        return {
            (row["kind"], row["key"]): Place(
                row["name"], float(row["latitude"]), float(row["longitude"])
            )
            for row in rows
        }


def find_place(text: str) -> Place | None:
    """The place a UK postcode (full or outward code), US ZIP code or town name names.

    None when the gazetteer does not know it. Case, spaces and punctuation
    around the words do not matter.
    """
    query = " ".join(text.split())
    if not query:
        return None
    compact = query.upper().replace(" ", "")
    if zip_code := _US_ZIP.match(compact):
        return _zip(zip_code.group(1))
    if postcode := _UK_POSTCODE.match(compact):
        found = _postcode(postcode.group(1))
        if found is not None or postcode.group(2):
            return found
    return _town(query)


def _zip(code: str) -> Place | None:
    entries = _entries()
    return entries.get(("zip", code)) or entries.get(("zip", code[:3]))


def _postcode(outward: str) -> Place | None:
    entries = _entries()
    area = re.match(r"[A-Z]+", outward)
    # SW1A -> SW1A, SW1, SW; M3 -> M3, M.
    district = outward[:-1] if outward[-1].isalpha() else ""
    candidates = [outward, district, area.group() if area else ""]
    for key in candidates:
        if key and (found := entries.get(("postcode", key))):
            return found
    return None


def _town(query: str) -> Place | None:
    entries = _entries()
    words = re.sub(r"[^a-z0-9' -]+", " ", query.lower()).split()
    while words:
        found = entries.get(("town", " ".join(words)))
        if found is not None:
            return found
        # "Fresno, CA" or "Leeds, UK": try again without the state or country.
        if " ".join(words[-2:]) in _COUNTRY_WORDS:
            words = words[:-2]
        elif words[-1] in _COUNTRY_WORDS or (len(words) > 1 and len(words[-1]) == 2):
            words = words[:-1]
        else:
            return None
    return None
