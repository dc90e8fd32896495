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


def delivery_lease(settings: IntakeSettings) -> timedelta:
    """Long enough for one attempt with all its timeouts, so nobody else sends while it may still succeed."""
    return timedelta(seconds=settings.connect_timeout + settings.read_timeout + 30)


def attempt_delivery(
    outbox: Outbox, settings: IntakeSettings, request_id: str, lease_token: Optional[str] = None
) -> Optional[Outcome]:
    """One attempt, under the lease the caller holds (the action's, taken when it wrote the request) or one taken
    now; None when the request was not ours to send."""
    token = lease_token or outbox.claim(request_id, delivery_lease(settings))
    if token is None:
        return None
    request = outbox.get(request_id)
    outcome = send(request, settings)
    if outcome.delivered:
        settled = outbox.mark_delivered(request_id, token)
    elif outcome.permanent_failure:
        settled = outbox.mark_failed(request_id, token, outcome.error)
        logger.warning("Booking request %s refused by the intake endpoint: %s", request.reference, outcome.error)
    else:
        settled = outbox.retry_later(request_id, token, outcome.error, retry_delay(request.attempts))
    if not settled:
        logger.warning("Booking request %s: the lease ran out before the outcome was recorded", request.reference)
    return outcome
