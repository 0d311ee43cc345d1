"""The enrolment QR code, drawn on the server as SVG (no image library, no script)."""

import base64

import qrcode
import qrcode.image.svg


def qr_code_data_uri(text: str) -> str:
    """A ``data:image/svg+xml`` URI of ``text`` as a QR code on a white square.

    An ``<img>`` with this source passes the Content Security Policy (``img-src data:``)
    and needs no inline style.
    """
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        box_size=10,
        border=4,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg: bytes = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def grouped_secret(base32: str) -> str:
    """A base32 key in groups of four, as authenticator apps ask for it to be typed."""
    return " ".join(base32[i : i + 4] for i in range(0, len(base32), 4))
