"""The booking's one-query read of the service, clinic and practitioner it names."""

from decimal import Decimal

from facetcare.clinics.models import Clinic, Practitioner, Service
from facetcare.clinics.selectors import get_booking_subjects
from tests.booking.conftest import World
from tests.factories import make_service


def _fields(instance: object, model: type) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}


def test_it_loads_the_three_as_the_orm_would_in_one_query(
    world: World, django_assert_num_queries: object
) -> None:
    service = make_service(required_equipment=["couch", "ultrasound"])

    with django_assert_num_queries(1):  # type: ignore[operator]
        found = get_booking_subjects(
            service_id=service.pk,
            clinic_id=world.clinic.pk,
            practitioner_id=world.practitioner.pk,
            include_staff_only=False,
        )

    for instance, model in zip(found, (Service, Clinic, Practitioner), strict=True):
        assert instance is not None
        assert _fields(instance, model) == _fields(model.objects.get(pk=instance.pk), model)
    loaded = found[0]
    assert loaded is not None
    assert loaded.price == Decimal("60.00")
    assert loaded.required_equipment == ["couch", "ultrasound"]
    assert loaded.online_bookable is True


def test_an_unknown_or_inactive_one_is_none_and_the_others_still_load(world: World) -> None:
    Practitioner.objects.filter(pk=world.practitioner.pk).update(is_active=False)

    service, clinic, practitioner = get_booking_subjects(
        service_id=world.service.pk,
        clinic_id=10**9,
        practitioner_id=world.practitioner.pk,
        include_staff_only=False,
    )

    assert service == world.service
    assert clinic is None
    assert practitioner is None


def test_a_staff_only_service_is_found_only_for_staff(world: World) -> None:
    staff_only = make_service(online_bookable=False)

    def service_for(*, staff: bool) -> Service | None:
        return get_booking_subjects(
            service_id=staff_only.pk,
            clinic_id=world.clinic.pk,
            practitioner_id=world.practitioner.pk,
            include_staff_only=staff,
        )[0]

    assert service_for(staff=False) is None
    assert service_for(staff=True) == staff_only
