"""The console's guards over HTTP: login everywhere, CSRF on every form, lock-out, inert HTML, harmless search."""
from __future__ import annotations

import re
import sqlite3
import uuid

import pytest
import requests
from requests.adapters import HTTPAdapter

from bot.booking.outbox import Outbox
from tests.conftest import Console, non_loopback_address

CONSOLE_PAGES = ["/", "/conversations", "/conversations/export.csv", "/conversations/some-id", "/bookings",
                 "/insights", "/insights/unanswered.csv", "/inbox", "/inbox/labelled", "/inbox/export.yml", "/audit"]
CONSOLE_FORMS = ["/logout", "/conversations/some-id/reveal", "/bookings/some-id/retry", "/inbox/label",
                 "/inbox/unlabel"]


def hidden_csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def logged_in(console: Console, username: str, password: str = Console.PASSWORD) -> requests.Session:
    session = requests.Session()
    token = hidden_csrf(session.get(f"{console.url}/login").text)
    response = session.post(f"{console.url}/login",
                            data={"username": username, "password": password, "csrf_token": token})
    assert response.ok and "Log out" in response.text, response.text[:300]
    return session


@pytest.mark.parametrize("path", CONSOLE_PAGES)
def test_every_page_without_a_session_redirects_to_login(console, path):
    response = requests.get(f"{console.url}{path}", allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", CONSOLE_FORMS)
def test_every_form_without_a_session_redirects_to_login(console, path):
    response = requests.post(f"{console.url}{path}", data={"reason": "curious"}, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_forged_session_cookie_is_not_a_login(console):
    response = requests.get(f"{console.url}/conversations", cookies={"klarity_console": "forged"},
                            allow_redirects=False)
    assert response.status_code == 302


def test_the_session_cookie_is_httponly_and_samesite(console):
    session = requests.Session()
    token = hidden_csrf(session.get(f"{console.url}/login").text)
    response = session.post(f"{console.url}/login", allow_redirects=False,
                            data={"username": Console.REVIEWER, "password": Console.PASSWORD, "csrf_token": token})
    cookie = response.headers["Set-Cookie"]
    assert "klarity_console=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_pages_forbid_caching_and_framing(console):
    response = logged_in(console, Console.REVIEWER).get(f"{console.url}/conversations")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", CONSOLE_FORMS)
def test_a_form_post_without_the_csrf_token_is_refused(console, path):
    session = logged_in(console, Console.ADMIN)
    response = session.post(f"{console.url}{path}", data={"reason": "a proper reason"}, allow_redirects=False)
    assert response.status_code == 403
    assert "expired" in response.text
    assert session.get(f"{console.url}/conversations").ok, "the refused post did not log the user out"


def test_a_login_without_the_form_token_is_refused(console):
    response = requests.post(f"{console.url}/login", allow_redirects=False,
                             data={"username": Console.ADMIN, "password": Console.PASSWORD})
    assert response.status_code == 403


class FromAddress(HTTPAdapter):
    """Sends a session's requests from another loopback address, as a second machine would."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, source_address=(self._address, 0), **kwargs)


def session_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session


def try_login(session: requests.Session, console: Console, username: str, password: str) -> requests.Response:
    token = hidden_csrf(session.get(f"{console.url}/login").text)
    return session.post(f"{console.url}/login", data={"username": username, "password": password, "csrf_token": token})


def test_five_wrong_passwords_lock_out_that_machine_but_not_the_account(console):
    console.add_user("lou.locked", "reviewer")
    outsider = session_from("127.0.0.2")
    for attempt in range(1, 6):
        response = try_login(outsider, console, "lou.locked", "not the password")
        assert response.status_code == 401
        assert ("Too many failed attempts" if attempt == 5 else "Wrong username or password") in response.text
    response = try_login(outsider, console, "lou.locked", Console.PASSWORD)
    assert response.status_code == 401
    assert "Too many failed attempts" in response.text

    at_the_clinic = try_login(session_from("127.0.0.1"), console, "lou.locked", Console.PASSWORD)
    assert at_the_clinic.ok and "Log out" in at_the_clinic.text
    audit = logged_in(console, Console.ADMIN).get(f"{console.url}/audit").text
    assert "locked from 127.0.0.2" in audit and "wrong password from 127.0.0.2" in audit


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(console):
    session = requests.Session()
    token = hidden_csrf(session.get(f"{console.url}/login").text)
    response = session.post(f"{console.url}/login",
                            data={"username": "nobody.here", "password": "whatever it is", "csrf_token": token})
    assert response.status_code == 401
    assert "Wrong username or password" in response.text


def test_a_message_with_a_script_tag_renders_as_text(assistant, console):
    sender = f"console-xss-{uuid.uuid4()}"
    assistant.send(sender, '<script>alert("owned")</script><img src=x onerror=alert(1)> what are the side effects?')
    page = logged_in(console, Console.REVIEWER).get(f"{console.url}/conversations/{sender}").text
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
    assert "<script>" not in page and "<img src=x" not in page


@pytest.mark.parametrize("query", ["' OR 1=1; DROP TABLE events; --", "%", "_", "\\", "\"; SELECT * FROM staff_users"])
def test_a_search_with_sql_in_it_is_harmless(assistant, console, query):
    session = logged_in(console, Console.REVIEWER)
    response = session.get(f"{console.url}/conversations", params={"q": query})
    assert response.status_code == 200
    assert "0 conversations" in response.text
    with sqlite3.connect(assistant.database) as database:
        assert database.execute("SELECT count(*) FROM events").fetchone()[0] > 0
        assert database.execute("SELECT count(*) FROM staff_users").fetchone()[0] >= 2


def test_a_reviewer_cannot_reveal_or_read_the_audit_trail(assistant, console):
    sender = f"console-reviewer-{uuid.uuid4()}"
    assistant.send(sender, "my number is (702) 874-1234, please call")
    session = logged_in(console, Console.REVIEWER)
    page = session.get(f"{console.url}/conversations/{sender}").text
    assert "Reveal" not in page
    response = session.post(f"{console.url}/conversations/{sender}/reveal",
                            data={"reason": "I want to see it", "csrf_token": hidden_csrf(page)})
    assert response.status_code == 403
    assert "874-1234" not in response.text
    assert session.get(f"{console.url}/audit").status_code == 403


def test_a_reveal_needs_a_reason(assistant, console):
    sender = f"console-reason-{uuid.uuid4()}"
    assistant.send(sender, "call me on 702 874 1234")
    session = logged_in(console, Console.ADMIN)
    page = session.get(f"{console.url}/conversations/{sender}").text
    response = session.post(f"{console.url}/conversations/{sender}/reveal",
                            data={"reason": " ", "csrf_token": hidden_csrf(page)})
    assert response.status_code == 403
    assert "874 1234" not in response.text


def test_the_console_listens_on_this_machine_only_by_default(console):
    address = non_loopback_address()
    if address.startswith("127."):
        pytest.skip("this machine has no other interface to try")
    port = console.url.rsplit(":", 1)[1]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://{address}:{port}/login", timeout=5)


def test_the_bookings_page_shows_how_long_the_oldest_pending_request_has_waited(console, assistant):
    outbox = Outbox(f"sqlite:///{assistant.database}")
    waiting = outbox.add(f"console-wait-{uuid.uuid4()}", "rest", "Ana", "+17025550143", "Upland", "noon", True)
    with sqlite3.connect(assistant.database) as connection:
        connection.execute("UPDATE booking_requests SET created_at = datetime('now', '-3 hours', '-5 minutes') "
                           "WHERE id = ?", (waiting.id,))
    page = logged_in(console, Console.REVIEWER).get(f"{console.url}/bookings", timeout=10).text
    assert re.search(rf"{waiting.reference}</strong>, waiting 3 hours [45] minutes", page), page
