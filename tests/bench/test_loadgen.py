"""The load generator sends any method and path, and reads whatever the server answers."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from facetcare.bench import loadgen


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn's gthread workers
    seen: list[tuple[str, str, str, bytes]] = []

    def do_GET(self) -> None:
        self.seen.append(("GET", self.path, self.headers.get("Cookie", ""), b""))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"<p>", b"chunked</p>"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        body = b"<html>page</html>" if self.path == "/clinics/" else b"missing"
        self.send_response(200 if self.path == "/clinics/" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        payload = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(("POST", self.path, self.headers.get("Authorization", ""), payload))
        body = json.dumps({"id": 41 + len(self.seen)}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[int]:
    _Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def _run_alone(plan: dict[str, object]) -> dict[str, Any]:
    """``loadgen.run`` in a thread of its own, as in its own process: a browser test
    earlier in this worker leaves Playwright's event loop running in the main thread."""
    found: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: found.update(loadgen.run(plan)))
    thread.start()
    thread.join(timeout=60)
    return found


def _plan(port: int, requests: list[dict[str, object]], clients: int = 2) -> dict[str, object]:
    return {
        "host": "127.0.0.1",
        "port": port,
        "clients": clients,
        "time_limit_s": 30,
        "requests": requests,
    }


def test_a_get_is_encoded_with_its_headers_and_no_body() -> None:
    wire = loadgen.encode_request(
        "127.0.0.1", 8000, {"path": "/clinics/?near=SW1A", "headers": {"Cookie": "a=b"}}
    )

    assert wire == (
        b"GET /clinics/?near=SW1A HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nCookie: a=b\r\n\r\n"
    )


def test_a_post_carries_its_json_body_and_length() -> None:
    wire = loadgen.encode_request(
        "h", 1, {"method": "POST", "path": "/api/v1/bookings", "json": {"a": 1}}
    )

    head, _, body = wire.partition(b"\r\n\r\n")
    assert head.startswith(b"POST /api/v1/bookings HTTP/1.1\r\n")
    assert b"Content-Type: application/json" in head
    assert b"Content-Length: 8" in head
    assert json.loads(body) == {"a": 1}


def test_pages_are_fetched_and_their_statuses_and_sizes_reported(server: int) -> None:
    requests: list[dict[str, object]] = [
        {"path": "/clinics/"},
        {"path": "/nowhere"},
        {"path": "/chunked"},
        {"path": "/clinics/"},
    ]

    found = _run_alone(_plan(server, requests, clients=1))

    statuses = [(status, size, made) for status, _, size, made in found["results"]]
    assert statuses == [(200, 17, 0), (404, 7, 0), (200, 14, 0), (200, 17, 0)]
    assert [path for _, path, _, _ in _Handler.seen] == [
        "/clinics/", "/nowhere", "/chunked", "/clinics/"
    ]  # fmt: skip


def test_a_post_answered_201_reports_the_id_it_created(server: int) -> None:
    requests: list[dict[str, object]] = [
        {"method": "POST", "path": "/api/v1/bookings", "headers": {"Authorization": "Bearer t"},
         "json": {"n": n}}
        for n in range(3)
    ]  # fmt: skip

    found = _run_alone(_plan(server, requests))

    assert sorted(made for status, _, _, made in found["results"] if status == 201) == [42, 43, 44]
    assert {auth for _, _, auth, _ in _Handler.seen} == {"Bearer t"}
    assert sorted(json.loads(body)["n"] for _, _, _, body in _Handler.seen) == [0, 1, 2]


def test_a_created_id_is_read_only_from_a_json_201() -> None:
    assert loadgen.created_id(201, b'{"id": 9}') == 9
    assert loadgen.created_id(200, b'{"id": 9}') == 0
    assert loadgen.created_id(201, b"<html>") == 0
