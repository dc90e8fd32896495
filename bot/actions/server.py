"""The action server, for the Rasa server's eyes only: loopback by default, and every call carries a shared secret.

`rasa run actions` listens on every interface and answers anyone; a caller who can reach it can run any action
with a tracker of their choosing. This entry point serves the same actions (rasa_sdk's app) on ACTION_SERVER_HOST
(127.0.0.1 unless configured), refuses calls without `Authorization: Bearer $ACTION_SERVER_TOKEN` (endpoints.yml
sends it), and never echoes a request or an exception back.
"""
from __future__ import annotations

import hmac
import logging
import os
from typing import Optional

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
OPEN_PATHS = frozenset({"/health"})


def action_app(token: str) -> Sanic:
    """rasa_sdk's app for bot.actions, behind the shared secret."""
    if not token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set: the action server refuses to run without its secret")
    app = create_app("bot.actions", cors_origins=None)
    expected = f"Bearer {token}".encode()

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        supplied = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(supplied, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("Action call failed", exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    return app


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    app = action_app(os.environ.get("ACTION_SERVER_TOKEN", ""))
    app.run(os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"), int(os.environ.get("ACTION_PORT", "5055")),
            access_log=False, workers=1)


if __name__ == "__main__":
    main()
