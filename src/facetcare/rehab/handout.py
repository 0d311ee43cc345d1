"""The patient's printable handout: the clinic's details, the phases and the exercises.

Rendered from a template to HTML, then to an A4 PDF by WeasyPrint. The same
function serves the clinician page and the patient portal.
"""

from django.template.loader import render_to_string

from facetcare.audit.actors import Actor
from facetcare.audit.services import log_access
from facetcare.core.rehab import PATHWAY_LABELS, REGION_LABELS, Pathway, Region
from facetcare.phones import display_phone
from facetcare.rehab import selectors
from facetcare.rehab.models import Programme


def handout_html(programme: Programme) -> str:
    """The handout as HTML, for a programme read through a rehab selector."""
    clinic = programme.clinic
    context = {
        "programme": programme,
        "patient": programme.patient,
        "clinic": clinic,
        "clinic_phone": display_phone(clinic.phone, clinic.locale),
        "locale": clinic.locale,
        "region_label": REGION_LABELS[Region(programme.region)],
        "pathway_label": PATHWAY_LABELS[Pathway(programme.pathway)],
        "phases": selectors.programme_phases(programme),
        "cautions": selectors.caution_labels(programme),
    }
    return render_to_string("rehab/documents/handout.html", context)


def render_handout(programme: Programme) -> bytes:
    """The handout as PDF bytes."""
    import weasyprint  # loads the system's pango libraries; only handouts and exports need them

    pdf: bytes = weasyprint.HTML(string=handout_html(programme)).write_pdf()
    return pdf


def get_handout(*, programme_id: int, acting_user: Actor) -> tuple[Programme, bytes]:
    """The programme and its handout PDF, for a user who may read it; logged as an export."""
    programme = selectors.get_programme(programme_id=programme_id, acting_user=acting_user)
    pdf = render_handout(programme)
    log_access(
        user=acting_user,
        action="export",
        patient_id=programme.patient_id,
        object_type="programme_handout",
        object_id=programme.pk,
    )
    return programme, pdf
