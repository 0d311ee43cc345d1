"""A bounded HTTP load generator, run in its own process: ``python -m facetcare.bench.loadgen``.

Reads a JSON plan on stdin (host, port, token, a list of request bodies, client
count, time limit), fires the bookings from ``clients`` threads released
together by a barrier, and prints one JSON line: per-request status and latency.
Plain ``http.client`` with one keep-alive connection per client, so the client
side costs little next to the server.
"""

import http.client
import json
import queue
import sys
import threading
import time
from typing import Any


def _client(
    plan: dict[str, Any],
    work: "queue.Queue[dict[str, Any]]",
    barrier: threading.Barrier,
    results: list[tuple[int, float, int]],
    deadline: list[float],
) -> None:
    connection = http.client.HTTPConnection(plan["host"], plan["port"], timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {plan['token']}"}
    barrier.wait()
    while time.perf_counter() < deadline[0]:
        try:
            body = work.get_nowait()
        except queue.Empty:
            break
        began = time.perf_counter()
        try:
            connection.request("POST", "/api/v1/bookings", json.dumps(body), headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(plan["host"], plan["port"], timeout=30)
            status, payload = 0, b"{}"
        elapsed = (time.perf_counter() - began) * 1000
        booking_id = json.loads(payload).get("id", 0) if status == 201 else 0
        results.append((status, elapsed, booking_id))
    connection.close()


def run(plan: dict[str, Any]) -> dict[str, Any]:
    work: queue.Queue[dict[str, Any]] = queue.Queue()
    for body in plan["bodies"]:
        work.put(body)
    barrier = threading.Barrier(plan["clients"] + 1)
    results: list[tuple[int, float, int]] = []
    deadline = [float("inf")]
    threads = [
        threading.Thread(target=_client, args=(plan, work, barrier, results, deadline))
        for _ in range(plan["clients"])
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + plan["time_limit_s"]
    barrier.wait()
    for thread in threads:
        thread.join()
    return {"wall_s": time.perf_counter() - began, "results": results}


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin))))
