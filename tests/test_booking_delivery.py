"""Delivery of booking requests to a real local intake server, through the real SQL outbox and worker."""
from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy
import yaml

from bot.booking.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, attempt_delivery, delivery_lease
from bot.booking.outbox import DELIVERED, FAILED, PENDING, Outbox
from bot.booking.settings import IntakeSettings
from bot.clinic.profile import DEFAULT_PROFILE_PATH
from tests.conftest import PROJECT_ROOT, free_port, wait_for
from tests.intake_server import IntakeServer

SECRET = "test-signing-secret-0123456789"


@pytest.fixture
def intake() -> Iterator[IntakeServer]:
    server = IntakeServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(f"sqlite:///{tmp_path / 'conversations.db'}")


def settings_for(url: str, read_timeout: float = 2.0) -> IntakeSettings:
    return IntakeSettings(endpoint=url, secret=SECRET.encode(), connect_timeout=1.0, read_timeout=read_timeout)


def new_request(outbox: Outbox):
    return outbox.add("conversation-1", "rest", "Maria", "+17025550143", "Upland", "weekday mornings", True)


def valid_signature(received) -> bool:
    timestamp = received.headers[TIMESTAMP_HEADER]
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.headers[SIGNATURE_HEADER], f"sha256={expected}")


def test_happy_path_delivers_a_minimal_signed_payload(intake, outbox):
    request = new_request(outbox)
    outcome = attempt_delivery(outbox, settings_for(intake.url), request.id)
    assert outcome.delivered and outbox.get(request.id).status == DELIVERED
    [received] = intake.received
    assert valid_signature(received)
    assert received.headers["Idempotency-Key"] == request.id
    assert received.payload == {
        "request_id": request.id, "reference": request.reference, "created_at": received.payload["created_at"],
        "first_name": "Maria", "phone": "+17025550143", "phone_extension": None, "location": "Upland",
        "contact_time": "weekday mornings", "call_note": None, "consent": True, "channel": "rest",
    }


def test_an_extension_reaches_the_clinic_beside_the_number(intake, outbox):
    request = outbox.add("conversation-1", "rest", "Maria", "+17025550143", "Upland", "after 5", True,
                         phone_extension="2214")
    assert attempt_delivery(outbox, settings_for(intake.url), request.id).delivered
    [received] = intake.received
    assert (received.payload["phone"], received.payload["phone_extension"]) == ("+17025550143", "2214")


def test_an_outbox_written_before_leases_extensions_and_notes_keeps_its_requests(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with sqlalchemy.create_engine(url).begin() as connection:
        connection.execute(sqlalchemy.text(
            "CREATE TABLE booking_requests (id VARCHAR(36) PRIMARY KEY, reference VARCHAR(16) NOT NULL UNIQUE, "
            "conversation_id VARCHAR(255) NOT NULL, channel VARCHAR(32) NOT NULL, first_name VARCHAR(80), "
            "phone VARCHAR(20), location VARCHAR(80), contact_time VARCHAR(120), consent BOOLEAN NOT NULL, "
            "status VARCHAR(24) NOT NULL, attempts INTEGER NOT NULL, last_error TEXT, created_at DATETIME NOT NULL, "
            "next_attempt_at DATETIME, lease_until DATETIME, delivered_at DATETIME)"))
        connection.execute(sqlalchemy.text(
            "INSERT INTO booking_requests VALUES ('old-1', 'KC-OLD001', 'c', 'rest', 'Ana', '+17025550143', "
            "'Upland', 'mornings', 1, 'pending', 0, NULL, '2026-12-01 10:00:00', '2026-12-01 10:00:00', NULL, NULL)"))
    outbox = Outbox(url)
    old = outbox.get("old-1")
    assert (old.first_name, old.phone, old.phone_extension, old.lease_token) == ("Ana", "+17025550143", None, None)
    added = outbox.add("c", "rest", "Bo", "+17025550187", "Upland", "noon", True, phone_extension="9",
                       call_note="no voicemail")
    assert (outbox.get(added.id).phone_extension, outbox.get(added.id).call_note) == ("9", "no voicemail")


def test_server_error_is_retried_until_accepted(intake, outbox, monkeypatch):
    monkeypatch.setenv("BOOKING_RETRY_BASE_SECONDS", "0")
    intake.statuses = [500]
    request = new_request(outbox)
    first = attempt_delivery(outbox, settings_for(intake.url), request.id)
    assert not first.delivered and not first.permanent_failure
    pending = outbox.get(request.id)
    assert pending.status == PENDING and pending.last_error.startswith("HTTP 500")
    assert outbox.due() == [request.id]
    assert attempt_delivery(outbox, settings_for(intake.url), request.id).delivered
    assert outbox.get(request.id).attempts == 2 and len(intake.received) == 1


def test_timeout_leaves_the_request_pending_for_the_worker(intake, outbox):
    intake.delay_seconds = 1.5
    request = new_request(outbox)
    outcome = attempt_delivery(outbox, settings_for(intake.url, read_timeout=0.5), request.id)
    assert not outcome.delivered
    assert outbox.get(request.id).status == PENDING and outbox.get(request.id).last_error == "timed out"


def test_client_error_is_failed_permanently_and_not_retried(intake, outbox):
    intake.statuses = [400]
    request = new_request(outbox)
    outcome = attempt_delivery(outbox, settings_for(intake.url), request.id)
    assert outcome.permanent_failure
    failed = outbox.get(request.id)
    assert failed.status == FAILED and failed.attempts == 1 and "HTTP 400" in failed.last_error
    assert outbox.due() == []


def test_a_request_held_by_another_sender_is_not_sent_twice(intake, outbox):
    request = new_request(outbox)
    assert outbox.claim(request.id, timedelta(minutes=1))
    assert attempt_delivery(outbox, settings_for(intake.url), request.id) is None
    assert intake.received == []


def test_a_request_written_with_a_lease_is_not_due_until_its_writer_lets_go(intake, outbox):
    request = outbox.add("conversation-2", "rest", "Ana", "+17025550143", "Upland", "noon", True,
                         lease=timedelta(minutes=1))
    assert outbox.due() == [] and outbox.claim(request.id, timedelta(minutes=1)) is None
    assert attempt_delivery(outbox, settings_for(intake.url), request.id, request.lease_token).delivered
    assert [received.payload["request_id"] for received in intake.received] == [request.id]


def test_a_sender_whose_lease_ran_out_cannot_overwrite_the_next_senders_outcome(outbox):
    request = new_request(outbox)
    stale = outbox.claim(request.id, timedelta(seconds=-1))
    current = outbox.claim(request.id, timedelta(minutes=1))
    assert stale and current and stale != current
    assert not outbox.mark_delivered(request.id, stale)
    assert outbox.mark_failed(request.id, current, "HTTP 400: refused")
    assert outbox.get(request.id).status == FAILED
    assert not outbox.retry_later(request.id, current, "late", timedelta(0))


def profile_with_intake(tmp_path: Path, url: str) -> Path:
    profile = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())
    profile["intake_form_url"] = url
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(profile))
    return path


def worker_env(tmp_path: Path, url: str, database: str, secret: str = SECRET) -> dict:
    return {
        **os.environ, "PYTHONPATH": str(PROJECT_ROOT), "CLINIC_PROFILE": str(profile_with_intake(tmp_path, url)),
        "TRACKER_DB_URL": database, "INTAKE_SIGNING_SECRET": secret,
        "BOOKING_RETRY_BASE_SECONDS": "0.2", "BOOKING_WORKER_POLL_SECONDS": "0.1",
    }


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.booking.worker"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_endpoint_down_worker_restarted_then_up_delivers_exactly_once(tmp_path):
    port = free_port()
    database = f"sqlite:///{tmp_path / 'conversations.db'}"
    outbox = Outbox(database)
    env = worker_env(tmp_path, f"http://127.0.0.1:{port}/intake", database)
    request = new_request(outbox)
    worker = start_worker(env)
    wait_for(lambda: outbox.get(request.id).attempts >= 2)
    worker.terminate()
    worker.wait(timeout=10)
    assert outbox.get(request.id).status == PENDING

    intake = IntakeServer(port).start()
    worker = start_worker(env)
    try:
        wait_for(lambda: outbox.get(request.id).status == DELIVERED)
        time.sleep(1)
        assert len(intake.received) == 1 and valid_signature(intake.received[0])
        assert list(intake.unique_deliveries()) == [request.id]
    finally:
        worker.terminate()
        worker.wait(timeout=10)
        intake.stop()


def test_two_workers_and_the_action_racing_deliver_every_request_exactly_once(tmp_path, intake):
    """The action writes each request under its own lease and sends it at once, as a visitor's booking does, while
    two worker processes poll the same outbox; the intake is slow and fails now and then, so retries happen too."""
    database = f"sqlite:///{tmp_path / 'conversations.db'}"
    outbox, settings = Outbox(database), settings_for(intake.url)
    intake.delay_seconds = 0.05
    intake.statuses = [500, 200, 503, 200, 200, 500] * 4
    env = worker_env(tmp_path, intake.url, database)
    workers = [start_worker(env), start_worker(env)]

    def as_the_action_does(number: int) -> None:
        request = outbox.add(f"conversation-{number}", "rest", "Maria", "+17025550143", "Upland", "mornings", True,
                             lease=delivery_lease(settings))
        attempt_delivery(outbox, settings, request.id, request.lease_token)

    try:
        with ThreadPoolExecutor(max_workers=4) as actions:
            list(actions.map(as_the_action_does, range(24)))
        wait_for(lambda: all(request.status == DELIVERED for request in outbox.all()), seconds=60)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=10)
    accepted = [received.payload["request_id"] for received in intake.received]
    assert sorted(accepted) == sorted(request.id for request in outbox.all()) and len(accepted) == 24


@pytest.mark.parametrize("module", ["bot.preflight", "bot.booking.worker"])
def test_endpoint_without_signing_secret_stops_start_up(tmp_path, module):
    env = worker_env(tmp_path, "https://clinic.example/intake", f"sqlite:///{tmp_path / 'db.sqlite'}", secret="")
    result = subprocess.run([sys.executable, "-m", module], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "INTAKE_SIGNING_SECRET is not set" in result.stderr and "Traceback" not in result.stderr
