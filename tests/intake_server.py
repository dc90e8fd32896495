"""A real HTTP server on loopback that plays the clinic's intake endpoint in tests."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional


@dataclass
class Received:
    headers: Dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class IntakeServer:
    """Answers each POST with the next scripted status (then 201), optionally after a delay."""

    port: int
    statuses: List[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    received: List[Received] = field(default_factory=list)
    _server: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/intake"

    def unique_deliveries(self) -> Dict[str, Received]:
        """Accepted requests by idempotency key, as a clinic that de-duplicates would keep them."""
        return {item.headers["Idempotency-Key"]: item for item in self.received}

    def start(self) -> "IntakeServer":
        intake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(intake.delay_seconds)
                status = intake.statuses.pop(0) if intake.statuses else 201
                if status < 300:
                    intake.received.append(Received(dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "refused"}')

            def log_message(self, *args) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
