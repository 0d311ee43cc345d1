"""The pluggable SMS backend: E.164 numbers only, console by default, in memory for tests."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from facetcare.errors import InvalidInput
from facetcare.sms import (
    ConsoleSmsBackend,
    InMemorySmsBackend,
    SmsMessage,
    get_sms_backend,
    send_sms,
)


@pytest.fixture
def outbox(settings: Any) -> Iterator[list[SmsMessage]]:
    settings.FACETCARE_SMS_BACKEND = "facetcare.sms.InMemorySmsBackend"
    InMemorySmsBackend.outbox.clear()
    yield InMemorySmsBackend.outbox
    InMemorySmsBackend.outbox.clear()


@pytest.mark.parametrize(
    ("path", "backend"),
    [
        ("facetcare.sms.ConsoleSmsBackend", ConsoleSmsBackend),
        ("facetcare.sms.InMemorySmsBackend", InMemorySmsBackend),
    ],
)
def test_the_setting_chooses_the_backend(settings: Any, path: str, backend: type) -> None:
    settings.FACETCARE_SMS_BACKEND = path

    assert type(get_sms_backend()) is backend


def test_the_console_backend_prints_the_number_and_the_text() -> None:
    stream = io.StringIO()

    ConsoleSmsBackend(stream).send(SmsMessage(to="+447911123456", body="See you at 10:00"))

    assert stream.getvalue().startswith("SMS to +447911123456\nSee you at 10:00\n")


def test_sending_prints_through_the_console_backend(
    settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.FACETCARE_SMS_BACKEND = "facetcare.sms.ConsoleSmsBackend"

    send_sms(to="+13105550142", body="Your appointment is booked")

    assert "SMS to +13105550142\nYour appointment is booked" in capsys.readouterr().out


def test_the_in_memory_backend_keeps_what_was_sent(outbox: list[SmsMessage]) -> None:
    sent = send_sms(to="+447911123456", body="Your appointment is booked")

    assert outbox == [sent]
    assert sent == SmsMessage(to="+447911123456", body="Your appointment is booked")


@pytest.mark.parametrize(
    "number", ["07911123456", "+44 7911 123456", "+4479111234", "tel:+447911123456", ""]
)
def test_a_number_not_in_e164_form_is_refused(outbox: list[SmsMessage], number: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        send_sms(to=number, body="Hello")

    assert refused.value.field == "to"
    assert "international form" in refused.value.detail
    assert outbox == []


def test_an_empty_text_is_refused(outbox: list[SmsMessage]) -> None:
    with pytest.raises(InvalidInput) as refused:
        send_sms(to="+447911123456", body="  ")

    assert refused.value.field == "body"
    assert outbox == []


@pytest.mark.parametrize(
    "path", ["facetcare.sms.NoSuchBackend", "nowhere.at.all.Backend", "facetcare.sms.SmsMessage"]
)
def test_a_backend_setting_that_names_no_backend_says_which_setting(
    settings: Any, path: str
) -> None:
    settings.FACETCARE_SMS_BACKEND = path

    with pytest.raises(ImproperlyConfigured, match="FACETCARE_SMS_BACKEND"):
        send_sms(to="+447911123456", body="Hello")
