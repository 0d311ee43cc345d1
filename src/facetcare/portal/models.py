"""The patient portal's own record: which sign-in account belongs to which patient.

A patient's account is a Django user of its own, never a staff user: it holds no
role, no staff flag and no details of the person (its username is random, and the
name and email the portal shows come from the patient record). So erasing the
patient (``patients.erasure``) deletes this link, which the record owns, and
leaves behind a user that names nobody and opens nothing.
"""

from django.conf import settings
from django.db import models


class PortalAccount(models.Model):
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.PROTECT, related_name="portal_account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "patient portal account"

    def __str__(self) -> str:
        return f"Portal account of patient {self.patient_id}"
