"""Offer links: what lets a waiting person accept an offered time, without an account.

A link carries the offer's id and its expiry, signed with the site's secret key
(``django.core.signing``), so it cannot be altered or made from a copy of the
database. The offer row is still checked when the link is used: an offer that
has gone to someone else is refused even while its link is within date.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing

from facetcare.waitlist.models import WaitlistOffer

_SALT = "facetcare.waitlist.offer-link"


class OfferLinkInvalid(Exception):
    """The link was altered or has expired (``expired`` says which)."""

    def __init__(self, detail: str, *, expired: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.expired = expired


@dataclass(frozen=True, slots=True)
class OfferLink:
    offer_id: int


def offer_link_token(offer: WaitlistOffer) -> str:
    """The opaque, URL-safe part of ``offer``'s accept link; it dies at ``offer.expires_at``."""
    return signing.dumps({"o": offer.pk, "x": int(offer.expires_at.timestamp())}, salt=_SALT)


def read_offer_link(token: str, *, now: datetime) -> OfferLink:
    """The offer a link names, or OfferLinkInvalid (altered, or past its expiry)."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise OfferLinkInvalid(
            "This link is not valid. Please use the link exactly as it is in your email."
        ) from None
    if not isinstance(payload, dict) or not {"o", "x"} <= payload.keys():
        raise OfferLinkInvalid(
            "This link is not valid. Please use the link exactly as it is in your email."
        )
    if now.timestamp() >= payload["x"]:
        raise OfferLinkInvalid("This offer has expired.", expired=True)
    return OfferLink(int(payload["o"]))
