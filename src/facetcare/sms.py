"""Text messages through a small pluggable backend, chosen by ``FACETCARE_SMS_BACKEND``.

A backend is a class with a ``send(message)`` method. FacetCare ships two: the
console backend (the default) prints each message, as Django's console email
backend does, and the in-memory backend keeps them in ``InMemorySmsBackend.outbox``
for tests. A provider's gateway is one more subclass, named in the setting.
Numbers are E.164 (``+447911123456``); anything else is refused before a backend
sees it.
"""

import sys
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.module_loading import import_string

from facetcare.errors import InvalidInput
from facetcare.phones import validate_e164


@dataclass(frozen=True, slots=True)
class SmsMessage:
    """One text message: ``to`` is an E.164 number, ``body`` plain text."""

    to: str
    body: str


class BaseSmsBackend(ABC):
    """What every SMS backend provides: send one message or raise."""

    @abstractmethod
    def send(self, message: SmsMessage) -> None:
        """Hand ``message`` to the provider; raise if it was not accepted."""


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints each message to standard output (the embedded tier's default)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, message: SmsMessage) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
        stream.flush()


class InMemorySmsBackend(BaseSmsBackend):
    """Keeps each message in the class-wide ``outbox`` list (tests read and clear it)."""

    outbox: ClassVar[list[SmsMessage]] = []
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            self.outbox.append(message)


def get_sms_backend() -> BaseSmsBackend:
    """An instance of the backend ``settings.FACETCARE_SMS_BACKEND`` names."""
    path = settings.FACETCARE_SMS_BACKEND
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"FACETCARE_SMS_BACKEND names {path!r}, which cannot be imported: {error}"
        ) from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSmsBackend)):
        raise ImproperlyConfigured(
            f"FACETCARE_SMS_BACKEND names {path!r}, which is not an SMS backend class"
        )
    backend: BaseSmsBackend = backend_class()
    return backend


def send_sms(*, to: str, body: str) -> SmsMessage:
    """Send ``body`` to the E.164 number ``to`` through the configured backend.

    Raises InvalidInput (field ``to``) for a number not in E.164 form and for an
    empty body; a backend's own failure propagates.
    """
    try:
        validate_e164(to)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="to") from None
    if not body.strip():
        raise InvalidInput("A text message needs some text", field="body")
    message = SmsMessage(to=to, body=body)
    get_sms_backend().send(message)
    return message
