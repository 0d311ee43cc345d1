"""A bounded HTTP load generator, run in its own process: ``python -m facetcare.bench.loadgen``.

Reads a JSON plan on stdin (host, port, client count, time limit and a list of
requests, each a method, a path, optional headers and an optional JSON body)
and prints one JSON line: per-request status, latency, body length and, for a
201 with a JSON body, the new record's id.

The client shares the machine's cores with the server it measures, so it is
built to cost as little CPU per request as possible: one asyncio event loop, no
threads; every request is encoded to bytes before the clock starts; each client
keeps one connection open while the server allows it (a sync gunicorn worker
closes it after each response) and reads the response with a minimal HTTP/1.1
parser; response bodies are decoded only after the run.
"""

import asyncio
import json
import sys
import time
from typing import Any


def encode_request(host: str, port: int, request: dict[str, Any]) -> bytes:
    """One request as bytes on the wire: ``method`` (default GET), ``path``, optional
    ``headers`` (a name-to-value mapping) and optional ``json`` (sent as the body)."""
    lines = [f"{request.get('method', 'GET')} {request['path']} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in request.get("headers", {}).items()]
    payload = b""
    if "json" in request:
        payload = json.dumps(request["json"]).encode()
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def encode_requests(plan: dict[str, Any]) -> list[bytes]:
    return [encode_request(plan["host"], plan["port"], r) for r in plan["requests"]]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the server will close the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, closing, chunked = 0, lines[0].startswith("HTTP/1.0"), False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            closing = value.strip().lower() == "close"
        elif name == "transfer-encoding":
            chunked = "chunked" in value.lower()
    if chunked:
        return status, await _read_chunks(reader), closing
    body = await reader.readexactly(length) if length else b""
    return status, body, closing


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    """A chunked body (a server sends one when it does not know the length first)."""
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers are expected
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class _Client:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        try:
            self.writer.write(request)
            status, body, closing = await _read_response(self.reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.close()
            return 0, b""
        if closing:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _drive(
    plan: dict[str, Any], requests: list[bytes]
) -> tuple[float, list[tuple[int, float, bytes]]]:
    queue = iter(requests)
    results: list[tuple[int, float, bytes]] = []
    began = time.perf_counter()
    deadline = began + plan["time_limit_s"]

    async def client() -> None:
        connection = _Client(plan["host"], plan["port"])
        for request in queue:
            if time.perf_counter() >= deadline:
                break
            sent = time.perf_counter()
            status, body = await connection.send(request)
            results.append((status, (time.perf_counter() - sent) * 1000, body))
        connection.close()

    await asyncio.gather(*(client() for _ in range(plan["clients"])))
    return time.perf_counter() - began, results


def created_id(status: int, body: bytes) -> int:
    """The id a 201 answered with in a JSON body, else 0."""
    if status != 201 or not body.startswith(b"{"):
        return 0
    return int(json.loads(body).get("id", 0))


def run(plan: dict[str, Any]) -> dict[str, Any]:
    """Send the plan's requests from its clients; each result is status, ms, body length
    and created id."""
    requests = encode_requests(plan)
    cpu = time.process_time()
    wall_s, raw = asyncio.run(_drive(plan, requests))
    cpu_s = time.process_time() - cpu
    results = [(status, ms, len(body), created_id(status, body)) for status, ms, body in raw]
    return {"wall_s": wall_s, "client_cpu_s": cpu_s, "results": results}


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin))))
