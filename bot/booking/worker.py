"""`python -m bot.booking.worker`: keeps delivering pending booking requests until the endpoint takes them."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from bot.booking.delivery import MAX_BACKOFF_SECONDS, attempt_delivery
from bot.booking.outbox import Outbox
from bot.booking.settings import IntakeSettingsError, load_intake_settings

logger = logging.getLogger("booking-worker")


def run(stop: threading.Event, poll_seconds: float) -> None:
    settings = load_intake_settings()
    if not settings.delivers:
        # Nothing to deliver, but staying up keeps `make run`'s supervisor from starting it again every moment.
        logger.info("No intake endpoint in the clinic profile: requests stay in the outbox for staff.")
        stop.wait()
        return
    outbox = Outbox()
    logger.info("Delivering booking requests to %s", settings.endpoint)
    failures = 0
    while not stop.is_set():
        try:
            for request_id in outbox.due():
                attempt_delivery(outbox, settings, request_id)
            failures = 0
        except Exception:
            # A database that is briefly unavailable or locked must not end the worker: log, back off, go on.
            failures += 1
            logger.exception("Delivery round failed (%d in a row); trying again", failures)
        stop.wait(min(poll_seconds * 2 ** failures, MAX_BACKOFF_SECONDS))


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        run(stop, float(os.environ.get("BOOKING_WORKER_POLL_SECONDS", "2")))
    except IntakeSettingsError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
