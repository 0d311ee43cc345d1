"""Demo people: staff logins with their roles, one staff API token, and fictional patients."""

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from facetcare.clinics.models import Practitioner
from facetcare.patients.models import Patient
from facetcare.web.models import ApiToken
from facetcare.web.role_permissions import grant_manager_permissions
from facetcare.web.roles import Role
from facetcare.web.services import issue_api_token

PATIENT_EMAIL_DOMAIN = "patients.example.com"
STAFF_EMAIL_DOMAIN = "staff.example.com"
API_TOKEN_NAME = "Demo integration token"  # noqa: S105 (a label, not a secret)

FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Evie", "Sophie", "Ruby",
    "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Jack", "Theo", "Alfie",
    "Aisha", "Zara", "Maryam", "Chloe", "Megan", "Kieran", "Declan", "Rhys", "Owen", "Callum",
    "Sofia", "Camila", "Lucia", "Mateo", "Diego", "Ethan", "Emma", "Liam", "Noor", "Hiro",
)  # fmt: skip
LAST_NAMES = (
    "Hartley", "Whitworth", "Crompton", "Pennington", "Haworth", "Ormerod", "Kershaw",
    "Fairclough", "Rowbotham", "Entwistle", "Greenhalgh", "Ainsworth", "Tattersall", "Iqbal",
    "Nowak", "Adeyemi", "Mahmood", "O'Neill", "McAllister", "Llewellyn", "Garcia", "Nguyen",
    "Patel", "Kowalski", "Delgado", "Okonkwo", "Lindqvist", "Barker", "Shaw", "Holt",
)  # fmt: skip

# The demo's two-factor login: a fixed authenticator key (base32 NGF7 CBN7 OH3U AFZM
# 4PUW 7KPM DDTZ QFJD) and recovery codes that `facetcare demo` restores on each run.
TWO_FACTOR_USERNAME = "secure"
TWO_FACTOR_KEY_HEX = "698bf105bf71f740172ce3e96fa9ec18e7981523"
TWO_FACTOR_RECOVERY_CODES = ("demo2fa1", "demo2fa2", "demo2fa3")


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    look_at: str


LOGINS = (
    Login("admin", "facetcare-admin", "superuser", "Django admin: every table, /admin/"),
    Login("manager", "demo-manager", Role.MANAGER, "clinics, hours, services, prices, utilisation"),
    Login("reception", "demo-reception", Role.RECEPTIONIST, "the day's diary, phone bookings"),
    Login("physio", "demo-physio", Role.PHYSIOTHERAPIST, "Priya Raman's list in Manchester"),
    Login("consultant", "demo-consultant", Role.CONSULTANT, "Dr Anjali Mehta's procedure list"),
    Login("referrer", "demo-referrer", Role.REFERRER, "only the patients this referrer sent"),
    Login(
        TWO_FACTOR_USERNAME,
        "demo-secure",
        Role.CONSULTANT,
        "two-factor: then a code from an authenticator app with key "
        "NGF7CBN7OH3UAFZM4PUW7KPMDDTZQFJD, or recovery code demo2fa1 (each works once)",
    ),
)
# Which demo practitioner each clinical login is.
LINKED_PRACTITIONER = {"physio": "PH900101", "consultant": "9900123"}


def load_staff() -> tuple[list[Login], str]:
    """Create or refresh the demo logins; return them and a freshly issued API token."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    # The manager is staff for the admin, so they need its model permissions too.
    grant_manager_permissions()
    users = {login.username: _upsert_user(login) for login in LOGINS}
    _enrol_two_factor(users[TWO_FACTOR_USERNAME])
    for username, registration in LINKED_PRACTITIONER.items():
        Practitioner.objects.filter(user=users[username]).exclude(
            registration_number=registration
        ).update(user=None)
        Practitioner.objects.filter(registration_number=registration).update(user=users[username])
    # The raw token is shown once, so a re-run replaces the old demo token.
    reception = users["reception"]
    ApiToken.objects.filter(user=reception, name=API_TOKEN_NAME).delete()
    _, raw = issue_api_token(user=reception, name=API_TOKEN_NAME)
    return list(LOGINS), raw


def _upsert_user(login: Login) -> User:
    user, _ = User.objects.get_or_create(
        username=login.username,
        defaults={"email": f"{login.username}@{STAFF_EMAIL_DOMAIN}"},
    )
    user.first_name = login.username.capitalize()
    user.last_name = "(demo)"
    user.is_superuser = login.role == "superuser"
    user.is_staff = login.role in {"superuser", Role.MANAGER}
    user.set_password(login.password)
    user.save()
    if login.role != "superuser":
        user.groups.set([Group.objects.get(name=login.role)])
    return user


def _enrol_two_factor(user: User) -> None:
    """Give the two-factor demo login its authenticator and recovery codes afresh."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user, name="Demo authenticator", key=TWO_FACTOR_KEY_HEX, confirmed=True
    )
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    for code in TWO_FACTOR_RECOVERY_CODES:
        recovery.token_set.create(token=code)


def demo_usernames() -> list[str]:
    return [login.username for login in LOGINS]


def load_patients(*, uk: int, us: int, seed: int = 7) -> tuple[list[Patient], list[Patient]]:
    """Ensure ``uk`` UK and ``us`` US demo patients exist; return both lists."""
    rng = random.Random(seed)  # noqa: S311 (repeatable fiction, not secrets)
    wanted = [_patient(rng, index, us_resident=False) for index in range(uk)]
    wanted += [_patient(rng, uk + index, us_resident=True) for index in range(us)]
    existing = set(
        Patient.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}").values_list(
            "email", flat=True
        )
    )
    Patient.objects.bulk_create(p for p in wanted if p.email not in existing)
    by_email = {
        p.email: p for p in Patient.objects.filter(email__endswith=f"@{PATIENT_EMAIL_DOMAIN}")
    }
    uk_patients = [by_email[p.email] for p in wanted[:uk]]
    us_patients = [by_email[p.email] for p in wanted[uk:]]
    return uk_patients, us_patients


def _patient(rng: random.Random, index: int, *, us_resident: bool) -> Patient:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if us_resident:
        # 555-0100..0199 is kept for fiction in every US area code.
        phone = f"+1{rng.choice(('818', '661', '805'))}5550{100 + index % 100}"
    else:
        # Ofcom's drama ranges: 020 7946 0xxx (London), 0161 496 0xxx (Manchester).
        phone = f"+44{rng.choice(('2079460', '1614960'))}{index % 1000:03d}"
    local = f"{first}.{last}".lower().replace("'", "")
    return Patient(
        first_name=first,
        last_name=last,
        date_of_birth=date(rng.randint(1948, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        email=f"{local}.{index}@{PATIENT_EMAIL_DOMAIN}",
        phone=phone,
    )
