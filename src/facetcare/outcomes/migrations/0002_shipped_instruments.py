"""The free-to-use instruments FacetCare ships: NRS-11 pain, the PSFS (its items are
the patient's own activities, added when it is asked) and a 7-point global rating
of change. Wording is FacetCare's own."""

from django.db import migrations
from django.utils import timezone

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
LOINC_NRS = {
    "system": "http://loinc.org",
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
GROC_OPTIONS = [
    "Very much better",
    "Much better",
    "A little better",
    "About the same",
    "A little worse",
    "Much worse",
    "Very much worse",
]

INSTRUMENTS = [
    {
        "code": "NRS-11",
        "title": "Pain score (NRS-11)",
        "version": "1",
        "kind": "pain",
        "scoring": "sum",
        "loinc": "72514-3",
        "licence": "A generic single item with no owner (NINDS common data element); free to use.",
        "resource": {
            "resourceType": "Questionnaire",
            "id": "facetcare-nrs-11",
            "status": "active",
            "title": "Pain score (NRS-11)",
            "code": [LOINC_NRS],
            "item": [
                {
                    "linkId": "pain",
                    "text": "Your usual pain now, from 0 (no pain) to 10 (the worst pain you can imagine)",
                    "type": "integer",
                    "required": True,
                    "code": [LOINC_NRS],
                    "extension": [
                        {"url": MIN_VALUE, "valueInteger": 0},
                        {"url": MAX_VALUE, "valueInteger": 10},
                    ],
                }
            ],
        },
    },
    {
        "code": "PSFS",
        "title": "Patient-Specific Functional Scale",
        "version": "1",
        "kind": "function",
        "scoring": "mean",
        "loinc": "",
        "licence": (
            "Stratford, Gill, Westaway and Binkley, Physiotherapy Canada 1995;47:258-63. "
            "Free to use with attribution; the activities are the patient's own words."
        ),
        "resource": {
            "resourceType": "Questionnaire",
            "id": "facetcare-psfs",
            "status": "active",
            "title": "Patient-Specific Functional Scale",
            "description": (
                "For each activity you told us is hard because of your pain, how well can "
                "you do it today? 0 means you cannot do it at all, 10 means you can do it "
                "as well as before your problem began."
            ),
            "item": [],
        },
    },
    {
        "code": "GROC",
        "title": "Global rating of change",
        "version": "1",
        "kind": "global_change",
        "scoring": "none",
        "loinc": "",
        "licence": "A generic 7-point global rating of change in FacetCare's own words; free to use.",
        "resource": {
            "resourceType": "Questionnaire",
            "id": "facetcare-groc",
            "status": "active",
            "title": "Global rating of change",
            "item": [
                {
                    "linkId": "change",
                    "text": "Since your treatment began, how is the problem you came to us with?",
                    "type": "choice",
                    "required": True,
                    "answerOption": [
                        {"valueCoding": {"code": str(number), "display": label}}
                        for number, label in enumerate(GROC_OPTIONS, start=1)
                    ],
                }
            ],
        },
    },
]


def ship(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    for values in INSTRUMENTS:
        Instrument.objects.update_or_create(
            code=values["code"],
            defaults={**values, "shipped": True, "is_active": True, "loaded_at": timezone.now()},
        )


def unship(apps, schema_editor):
    Instrument = apps.get_model("outcomes", "Instrument")
    Instrument.objects.filter(shipped=True, code__in=[i["code"] for i in INSTRUMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_outcome_measures")]
    operations = [migrations.RunPython(ship, unship)]
