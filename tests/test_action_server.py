"""The action server answers only the Rasa server: loopback, the shared secret, and booking answers checked again."""
from __future__ import annotations

import sqlite3
import sys
from typing import Dict, Iterator

import pytest
import requests

from tests.conftest import free_port, non_loopback_address, start, stop, wait_until_up

TOKEN = "a-test-secret"


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dict]:
    workdir = tmp_path_factory.mktemp("action-server")
    port, database = free_port(), workdir / "conversations.db"
    env = {**__import__("os").environ, "ACTION_PORT": str(port), "ACTION_SERVER_TOKEN": TOKEN,
           "TRACKER_DB_URL": f"sqlite:///{database}", "INTAKE_FORM_URL": ""}
    server = start([sys.executable, "-m", "bot.actions.server"], env, workdir / "actions.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", server, workdir / "actions.log")
        yield {"url": f"http://127.0.0.1:{port}/webhook", "port": port, "database": database}
    finally:
        stop(server)


def booking_call(slots: Dict) -> Dict:
    tracker = {"sender_id": "forged", "slots": slots, "latest_message": {}, "events": [], "paused": False,
               "active_loop": {}, "latest_action_name": "booking_form", "latest_input_channel": "rest"}
    return {"next_action": "action_submit_booking", "sender_id": "forged", "tracker": tracker,
            "domain": {"responses": {}}, "version": "3.6.21"}


def test_a_call_without_the_secret_or_with_a_wrong_one_is_refused(action_server):
    call = booking_call({})
    assert requests.post(action_server["url"], json=call, timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer not-the-secret"}
    assert requests.post(action_server["url"], json=call, headers=wrong, timeout=10).status_code == 401


def test_it_listens_on_loopback_only(action_server):
    address = non_loopback_address()
    if address.startswith("127."):
        pytest.skip("this machine has no other interface to try")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://{address}:{action_server['port']}/health", timeout=5)


def test_a_forged_booking_with_the_secret_is_checked_again_and_nothing_is_written(action_server):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    valid = {"first_name": "Maria", "phone_number": "+17025550143", "preferred_location": "Upland",
             "contact_time": "mornings", "contact_consent": True}
    forged = {**valid, "first_name": "=HYPERLINK(\"http://x\")<script>alert(1)</script>" + "x" * 800}
    refused = requests.post(action_server["url"], json=booking_call(forged), headers=headers, timeout=10)
    accepted = requests.post(action_server["url"], json=booking_call(valid), headers=headers, timeout=10)
    assert [message["response"] for message in refused.json()["responses"]] == ["utter_booking_invalid"]
    assert [message["response"] for message in accepted.json()["responses"]] == ["utter_booking_recorded"]
    with sqlite3.connect(action_server["database"]) as connection:
        names = [row[0] for row in connection.execute("SELECT first_name FROM booking_requests")]
    assert names == ["Maria"]
