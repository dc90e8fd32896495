"""A real HTTP server on loopback that plays Twilio's Messages API in tests."""
from __future__ import annotations

import json
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Dict, List, Type
from urllib.parse import parse_qs

from tests.loopback_server import LoopbackServer


class FakeTwilio(LoopbackServer):
    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.sent: List[Dict[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def texts_to(self, number: str) -> List[str]:
        return [message["Body"] for message in self.sent if message["To"] == number]

    def handler(self) -> Type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
                message = {key: values[0] for key, values in form.items()}
                fake.sent.append(message)
                body = json.dumps({"sid": "SM" + uuid.uuid4().hex, "status": "queued", "to": message.get("To"),
                                   "from": message.get("From"), "body": message.get("Body")}).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                return

        return Handler
