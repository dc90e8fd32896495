"""A threaded HTTP server on 127.0.0.1 for the test doubles of outside services."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional, Type


class LoopbackServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self._server: Optional[ThreadingHTTPServer] = None

    def handler(self) -> Type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
