"""A real HTTP server on loopback that plays the clinic's intake endpoint in tests."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Dict, List, Type

from tests.loopback_server import LoopbackServer


@dataclass
class Received:
    headers: Dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


class IntakeServer(LoopbackServer):
    """Answers each POST with the next scripted status (then 201), optionally after a delay."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.statuses: List[int] = []
        self.delay_seconds = 0.0
        self.received: List[Received] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/intake"

    def unique_deliveries(self) -> Dict[str, Received]:
        """Accepted requests by idempotency key, as a clinic that de-duplicates would keep them."""
        return {item.headers["Idempotency-Key"]: item for item in self.received}

    def handler(self) -> Type[BaseHTTPRequestHandler]:
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

        return Handler
