"""`python -m bot.console.server`: the staff console on CONSOLE_HOST:CONSOLE_PORT (127.0.0.1:8090 by default)."""
from __future__ import annotations

import logging

from bot.console.app import create_app
from bot.console.settings import console_settings


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = console_settings()
    app = create_app(settings)
    app.run(host=settings.host, port=settings.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
