"""A tiny recording HTTP server on 127.0.0.1 in a thread, the base of the fake Telegram and Twilio APIs."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    method: str  # the API method ("sendMessage") or route name ("Messages")
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    status: int = 200


@dataclass
class Fault:
    status: int
    body: dict[str, Any]
    delay_s: float = 0.0  # sleep before answering: longer than the client's timeout makes a timeout


class FakeServer:
    """Subclasses implement `answer(method, params) -> (status, body)` and `route(path) -> method | None`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._faults: dict[tuple[str, str | None], deque[Fault]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- test API ---
    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def inject(self, method: str, fault: Fault, target: str | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` (for `target`, e.g. one chat id or number) get `fault`."""
        with self._lock:
            self._faults.setdefault((method, target), deque()).extend([fault] * times)

    def recorded(self, method: str, target: str | None = None, ok_only: bool = False) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == method
                and (target is None or self.target(c) == target)
                and (not ok_only or c.status < 300)
            ]

    def wait_for(
        self, method: str, target: str, count: int, timeout_s: float = 20.0, ok_only: bool = True
    ) -> list[Call]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.recorded(method, target, ok_only)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.recorded(method, target, ok_only)

    def settle(self, method: str, target: str, quiet_s: float = 1.0, timeout_s: float = 20.0) -> list[Call]:
        """All calls for target once none has arrived for quiet_s (to assert that nothing more was sent)."""
        deadline = time.monotonic() + timeout_s
        last = -1
        since = time.monotonic()
        while time.monotonic() < deadline:
            n = len(self.recorded(method, target))
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since >= quiet_s:
                break
            time.sleep(0.05)
        return self.recorded(method, target)

    def target(self, call: Call) -> str | None:
        raise NotImplementedError

    # --- server side ---
    def route(self, path: str) -> str | None:
        raise NotImplementedError

    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def _fault_for(self, method: str, params: dict[str, Any]) -> Fault | None:
        with self._lock:
            probe = Call(method, params)
            for key in ((method, self.target(probe)), (method, None)):
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def handle(self, path: str, raw: bytes, content_type: str, headers: dict[str, str]) -> tuple[int, bytes]:
        method = self.route(urllib.parse.urlsplit(path).path)
        if method is None:
            return 404, b'{"error": "not found"}'
        if content_type.startswith("application/json"):
            params = json.loads(raw or b"{}")
        else:
            params = {
                k: v[0] if len(v) == 1 else v
                for k, v in urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()
            }
        fault = self._fault_for(method, params)
        if fault is not None:
            time.sleep(fault.delay_s)
            status, body = fault.status, fault.body
        else:
            status, body = self.answer(method, params, headers)
        with self._lock:
            self.calls.append(Call(method, params, status=status))
        return status, json.dumps(body).encode("utf-8")

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = fake.handle(
                    self.path, raw, self.headers.get("Content-Type") or "", {k: v for k, v in self.headers.items()}
                )
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (a timeout test): nothing to tell it
                    pass

            do_POST = do_GET = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
