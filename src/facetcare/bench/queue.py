"""The task backend the HTTP benchmark uses in place of a worker's queue.

A queue-backed backend checks the task, turns its arguments into the message it
puts on the wire, hands that over and returns; the booking's request pays for
that much and no more. This backend does the same and then drops the message,
so the benchmark measures a booking without an email server or a queue on the
machine. Django's own ``DummyBackend`` is not used for this: it keeps every
result in a list for the life of the process and deep-copies each one, work a
real queue does not do on the request.
"""

import json
import uuid
from typing import Any, ParamSpec, TypeVar

from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils import timezone

_P = ParamSpec("_P")
_R = TypeVar("_R")


class DroppedQueueBackend(BaseTaskBackend):
    supports_defer = True
    supports_priority = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._valid: set[Task[..., Any]] = set()
        # The message the latest task became, as it would have gone on the wire.
        self.last_message: str | None = None

    def validate_task(self, task: "Task[..., Any]") -> None:
        # Tasks are immutable, so one that passed once passes again; Django checks
        # each when it is defined as well.
        if task not in self._valid:
            super().validate_task(task)
            self._valid.add(task)

    def enqueue(
        self, task: "Task[_P, _R]", args: list[Any], kwargs: dict[str, Any]
    ) -> "TaskResult[_P, _R]":
        self.validate_task(task)
        result: TaskResult[_P, _R] = TaskResult(
            task=task,
            id=uuid.uuid4().hex,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self.last_message = json.dumps(
            {
                "id": result.id,
                "task": task.module_path,
                "queue": task.queue_name,
                "args": result.args,
                "kwargs": result.kwargs,
            }
        )
        return result
