"""What a booking costs: the service's price, less the online discount, in the clinic's currency."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from facetcare.booking.models import Appointment
from facetcare.clinics.models import Service

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Quote:
    price: Decimal
    discount: Decimal
    currency: str

    @property
    def payable(self) -> Decimal:
        return self.price - self.discount


def quote(*, service: Service, channel: str, currency: str) -> Quote:
    """The service's list price and, for online bookings only, its online discount.

    Amounts are quantised to the cent with half-up rounding, the way a till rounds.
    """
    price = Decimal(service.price).quantize(CENT, ROUND_HALF_UP)
    discount = Decimal("0.00")
    if channel == Appointment.Channel.ONLINE and service.online_discount_percent:
        percent = Decimal(service.online_discount_percent)
        discount = (price * percent / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
    return Quote(price=price, discount=discount, currency=currency)
