"""`python -m bot.widget.server`: serves the clinic demo page, the chat widget and the clinic's public facts."""
from __future__ import annotations

import html
import json
import logging
import os
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from bot.clinic.profile import ClinicProfile, clinic_profile

STATIC_DIR = Path(__file__).with_name("static")
DEMO_PAGE = Path(__file__).with_name("demo.html")
logger = logging.getLogger("widget-server")


def public_facts(profile: ClinicProfile) -> dict:
    """What the widget may show anyone: the name, the main line and the crisis lines."""
    lines = profile.crisis_lines
    return {
        "name": profile.name,
        "phone": profile.main_phone,
        "crisis_lines": {
            "lifeline": lines.lifeline, "veterans_text": lines.veterans_text, "text_line": lines.text_line,
            "text_line_keyword": lines.text_line_keyword, "emergency": lines.emergency,
        },
    }


def demo_page(profile: ClinicProfile, assistant_url: str) -> str:
    locations = "".join(
        f"<li>{html.escape(l.name)}, {html.escape(l.region)}: {html.escape(l.address)}. "
        f"Phone {html.escape(l.phone)}</li>"
        for l in profile.locations
    )
    return Template(DEMO_PAGE.read_text()).substitute(
        clinic_name=html.escape(profile.name), assistant_url=html.escape(assistant_url), locations=locations
    )


class WidgetHandler(SimpleHTTPRequestHandler):
    """Static files from bot/widget/static under /widget/, plus the demo page and clinic.json."""

    def __init__(self, *args, assistant_url: str, **kwargs) -> None:
        self.assistant_url = assistant_url
        super().__init__(*args, directory=str(STATIC_DIR), **kwargs)

    def end_headers(self) -> None:
        assistant_origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.assistant_url))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; connect-src 'self' {assistant_origin}; frame-ancestors 'self'",
        )
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(demo_page(clinic_profile(), self.assistant_url).encode(), "text/html; charset=utf-8")
        elif path == "/widget/clinic.json":
            self._send(json.dumps(public_facts(clinic_profile())).encode(), "application/json")
        elif path.startswith("/widget/"):
            self.path = path[len("/widget"):]
            super().do_GET()
        elif path == "/demo.css":
            super().do_GET()
        else:
            self.send_error(HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        logger.info("%s %s", self.address_string(), format % args)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    port = int(os.environ.get("WIDGET_PORT", "8080"))
    assistant_url = os.environ.get("ASSISTANT_PUBLIC_URL", f"http://localhost:{os.environ.get('RASA_PORT', '5005')}")
    server = ThreadingHTTPServer(("0.0.0.0", port), partial(WidgetHandler, assistant_url=assistant_url))
    logger.info("Clinic demo page with the chat widget on http://localhost:%d", port)
    server.serve_forever()


if __name__ == "__main__":
    main()
