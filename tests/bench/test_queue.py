"""The benchmark's stand-in for a worker queue checks and encodes a task, then drops it."""

import json

import pytest
from django.core import mail
from django.tasks import task_backends
from django.tasks.exceptions import InvalidTask
from django.test import override_settings

from facetcare.booking.notifications import send_booking_confirmation

STAND_IN = {"default": {"BACKEND": "facetcare.bench.queue.DroppedQueueBackend"}}


@override_settings(TASKS=STAND_IN)
def test_a_task_is_encoded_as_a_queue_message_and_nothing_runs() -> None:
    result = send_booking_confirmation.enqueue(42)

    assert result.status == "READY"
    assert result.args == [42]
    assert result.enqueued_at is not None
    message = json.loads(task_backends["default"].last_message)
    assert message["task"] == "facetcare.booking.notifications.send_booking_confirmation"
    assert message["args"] == [42]
    assert message["id"] == result.id
    assert mail.outbox == []


@override_settings(TASKS=STAND_IN)
def test_arguments_a_queue_could_not_carry_are_refused() -> None:
    with pytest.raises(TypeError):
        send_booking_confirmation.enqueue(object())


@override_settings(TASKS=STAND_IN)
def test_a_task_the_backend_cannot_run_is_refused() -> None:
    with pytest.raises(InvalidTask):
        send_booking_confirmation.using(priority=101).enqueue(1)
