"""Sends one booking request to the clinic's intake endpoint, signed, and records what happened."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

import requests

from bot.booking.outbox import BookingRequest, Outbox
from bot.booking.settings import IntakeSettings

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Klarity-Signature"
TIMESTAMP_HEADER = "X-Klarity-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_BACKOFF_SECONDS = 600.0


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    permanent_failure: bool = False
    error: Optional[str] = None


def signature(secret: bytes, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", so the clinic can verify the sender and refuse replays."""
    return "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off from BOOKING_RETRY_BASE_SECONDS (default 5 s), capped at ten minutes."""
    base = float(os.environ.get("BOOKING_RETRY_BASE_SECONDS", "5"))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def send(request: BookingRequest, settings: IntakeSettings) -> Outcome:
    body = json.dumps(request.payload(), separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: request.id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(settings.secret, timestamp, body),
    }
    try:
        response = requests.post(
            settings.endpoint, data=body, headers=headers, timeout=(settings.connect_timeout, settings.read_timeout)
        )
    except requests.Timeout:
        return Outcome(delivered=False, error="timed out")
    except requests.RequestException as error:
        return Outcome(delivered=False, error=f"could not connect: {type(error).__name__}")
    if response.ok:
        return Outcome(delivered=True)
    error = f"HTTP {response.status_code}: {response.text[:200]}"
    retryable = response.status_code >= 500 or response.status_code in (408, 429)
    return Outcome(delivered=False, permanent_failure=not retryable, error=error)


def attempt_delivery(outbox: Outbox, settings: IntakeSettings, request_id: str) -> Optional[Outcome]:
    """One attempt, if no one else holds the request; None when it was not ours to send."""
    lease = timedelta(seconds=settings.connect_timeout + settings.read_timeout + 30)
    if not outbox.claim(request_id, lease):
        return None
    request = outbox.get(request_id)
    outcome = send(request, settings)
    if outcome.delivered:
        outbox.mark_delivered(request_id)
    elif outcome.permanent_failure:
        outbox.mark_failed(request_id, outcome.error)
        logger.warning("Booking request %s refused by the intake endpoint: %s", request.reference, outcome.error)
    else:
        outbox.retry_later(request_id, outcome.error, retry_delay(request.attempts))
    return outcome
