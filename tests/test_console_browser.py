"""The staff console in Debian's headless Chromium: what a clinic reviewer and an admin do and see."""
from __future__ import annotations

import csv
import io
import re
import uuid

import pytest

from tests.conftest import Console, start_console, stop


def log_in(browser, console: Console, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{console.url}/conversations")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(Console.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Conversations").wait_for()
    return page


@pytest.fixture
def admin_page(browser, console):
    page = log_in(browser, console, Console.ADMIN)
    yield page
    page.context.close()


@pytest.fixture
def reviewer_page(browser, console):
    page = log_in(browser, console, Console.REVIEWER)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def crisis_conversation(assistant) -> str:
    sender = f"console-crisis-{uuid.uuid4()}"
    assistant.send(sender, "i cant do this anymore, i want to end my life tonight")
    return sender


@pytest.fixture(scope="module")
def phone_conversation(assistant) -> str:
    sender = f"console-phone-{uuid.uuid4()}"
    assistant.send(sender, "you can reach me at (702) 874-1234 or maria.lopez@example.com after 5")
    assistant.send(sender, "what are the side effects of ketamine?")
    return sender


def search(page, words: str = "", flag: str = "") -> None:
    page.get_by_label("Search messages").fill(words)
    if flag:
        page.get_by_label(flag, exact=True).check()
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("status").wait_for()


def test_a_crisis_conversation_stands_out_in_the_list(admin_page, crisis_conversation):
    search(admin_page, "end my life")
    row = admin_page.locator("tr.crisis")
    assert row.count() >= 1
    assert "Crisis" in row.first.inner_text()
    assert row.first.evaluate("row => getComputedStyle(row.cells[0]).borderLeftColor") == "rgb(176, 0, 32)"


def test_the_crisis_filter_shows_only_crisis_conversations(admin_page, crisis_conversation, phone_conversation):
    search(admin_page, flag="Crisis")
    rows = admin_page.locator("table.conversations tbody tr")
    assert rows.count() >= 1
    assert rows.count() == admin_page.locator("tr.crisis").count()


def test_the_transcript_hides_the_phone_number_and_email(admin_page, phone_conversation):
    admin_page.goto(f"{admin_page.url.split('/conversations')[0]}/conversations/{phone_conversation}")
    transcript = admin_page.locator("ol.transcript").inner_text()
    assert "[phone]" in transcript and "[email]" in transcript
    assert "874-1234" not in transcript and "maria.lopez" not in transcript
    assert "ask_side_effects" in transcript, "intents are shown with the visitor's messages"


def test_an_admin_reveals_with_a_reason_and_the_audit_trail_shows_it(admin_page, console, phone_conversation):
    admin_page.goto(f"{console.url}/conversations/{phone_conversation}")
    admin_page.get_by_label(re.compile("Reason for revealing")).fill("Calling back about her booking request")
    admin_page.get_by_role("button", name="Reveal").click()
    assert "(702) 874-1234" in admin_page.locator("ol.transcript").inner_text()
    admin_page.get_by_role("link", name="Audit trail").click()
    entry = admin_page.locator("table.audit tbody tr", has_text="reveal").first
    assert phone_conversation in entry.inner_text()
    assert "Calling back about her booking request" in entry.inner_text()
    assert Console.ADMIN in entry.inner_text()


def test_a_reviewer_has_no_reveal_and_no_audit_trail(reviewer_page, console, phone_conversation):
    reviewer_page.goto(f"{console.url}/conversations/{phone_conversation}")
    assert "[phone]" in reviewer_page.locator("ol.transcript").inner_text()
    assert reviewer_page.get_by_role("button", name="Reveal").count() == 0
    assert reviewer_page.get_by_role("link", name="Audit trail").count() == 0


def test_search_finds_a_conversation_by_its_words(reviewer_page, phone_conversation):
    search(reviewer_page, "reach after")
    links = reviewer_page.locator("table.conversations tbody a")
    assert any(phone_conversation in (link.get_attribute("href") or "") for link in links.all())


def test_the_csv_export_is_redacted(reviewer_page, phone_conversation):
    search(reviewer_page, "reach")
    with reviewer_page.expect_download() as download:
        reviewer_page.get_by_role("link", name="Export CSV (redacted)").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert rows[0] == ["conversation", "started_utc", "channel", "turns", "flags", "first_message"]
    exported = next(row for row in rows if row[0] == phone_conversation)
    assert "[phone]" in exported[5] and "[email]" in exported[5]
    assert "874-1234" not in exported[5] and "maria.lopez" not in exported[5]


def test_log_out_ends_the_session(browser, console):
    page = log_in(browser, console, Console.REVIEWER)
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You have logged out.").wait_for()
    page.goto(f"{console.url}/conversations")
    assert "/login" in page.url
    page.context.close()


def test_an_idle_session_is_logged_off(browser, assistant, console, tmp_path):
    process, quick = start_console(assistant.database, tmp_path, idle_minutes=0.05)
    try:
        page = log_in(browser, quick, Console.REVIEWER)
        page.wait_for_url(re.compile(r"/login\?reason=expired"), timeout=20_000)
        assert "logged out after a period without activity" in page.inner_text("main")
        page.goto(f"{quick.url}/conversations")
        assert "/login" in page.url
        page.context.close()
    finally:
        stop(process)


def test_a_booking_shows_its_flag_hides_the_name_everywhere_and_appears_in_the_outbox(assistant, admin_page, console):
    sender = f"console-booking-{uuid.uuid4()}"
    assistant.send(sender, "I'd like to book a free consultation")
    for answer in ("Josefina", "702 874 1234", "Las Vegas", "evenings after 6", "yes", "thanks, signed josefina"):
        assistant.send(sender, answer)
    admin_page.goto(f"{console.url}/conversations/{sender}")
    transcript = admin_page.locator("ol.transcript").inner_text()
    assert "Josefina" not in transcript and "josefina" not in transcript.lower()
    assert transcript.count("[name]") >= 2, "the name is hidden wherever it appears, in any case"
    assert "Booking request recorded" in transcript and "Form asks for: phone number" in transcript
    assert "Booking requested" in admin_page.locator(".conversation-id").inner_text()
    admin_page.get_by_role("link", name="Booking requests").click()
    newest = admin_page.locator("table.bookings tbody tr").first
    assert "Las Vegas" in newest.inner_text() and "•••• 34" in newest.inner_text()
    assert "Josefina" not in admin_page.content()
