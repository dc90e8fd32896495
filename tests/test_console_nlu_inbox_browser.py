"""The NLU inbox in Debian's headless Chromium: a reviewer groups, labels and exports what the assistant missed."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import requests
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.loading import load_data

from tests.conftest import PROJECT_ROOT, Console, start_console, stop
from tests.test_console_browser import log_in
from tests.test_console_insights import Conversation
from tests.test_console_nlu_inbox import WIFI_RANKING, seed

# Newest first within each group; a group's messages are spread over the last hours, the groups interleaved.
GROUPS: List[Tuple[str, List[str]]] = [
    ("wifi", ["What is the wifi password?"] * 5 + ["what is the WIFI password", "What  is the wifi password!!",
                                                    "WHAT IS THE WIFI PASSWORD?", "what is the wifi password."]),
    ("great", ["great"] * 3 + ["Great!", "Great!", "GREAT.", "great "]),
    ("phone", ["can you call me at 702-874-1234", "can you call me at 725-555-0142", "Can you call me at 702 555 0123?",
               "can you call me at (702) 555-0199", "can you call me at +1 725 555 0188"]),
    ("parking", ["do you have parking", "Do you have parking?", "do you have parking", "DO YOU HAVE PARKING"]),
    ("bus", ["is there a bus stop nearby"] * 3),
    ("joke", ["tell me a joke"] * 2),
    ("single", ["my cat is named ketamine lol", "asdfgh", "can my dog come", "what's your favourite colour",
                "do you validate parking tickets"]),
]
EXPECTED_FIRST_ROWS = [("What is the wifi password?", "9"), ("great", "7"), ("can you call me at [phone]", "5"),
                       ("do you have parking", "4"), ("is there a bus stop nearby", "3"), ("tell me a joke", "2")]


def conversations(now: float) -> Dict[str, Conversation]:
    """One conversation per unanswered message, each also asking something the assistant did answer."""
    messages = [(name, text) for name, texts in GROUPS for text in texts]
    by_id: Dict[str, Conversation] = {}
    for index, (name, text) in enumerate(messages):
        intent = "out_of_scope" if name == "joke" else "nlu_fallback"
        conversation = Conversation().session(now - (index + 1) * 300).says("how much is it", "ask_cost")
        by_id[f"inbox-{name}-{index}"] = conversation.says(text, intent, 0.4, ranking=WIFI_RANKING
                                                           if name == "wifi" else None)
    return by_id


@pytest.fixture(scope="module")
def inbox_console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A console of its own over 35 unanswered messages from the last hours, with a reviewer and an admin."""
    workdir = tmp_path_factory.mktemp("inbox")
    database = workdir / "conversations.db"
    store = SQLTrackerStore(Domain.load(PROJECT_ROOT / "domain.yml"), dialect="sqlite", db=str(database))
    # Playwright's event loop may already run in this thread; Rasa's store saves with one of its own.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(seed, store, conversations(time.time())).result()
    store.engine.dispose()
    process, console = start_console(database, workdir)
    console.add_user(Console.REVIEWER, "reviewer")
    console.add_user(Console.ADMIN, "admin")
    try:
        yield console
    finally:
        stop(process)


def rows(page) -> List[Tuple[str, str]]:
    return [(row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text())
            for row in page.locator("table.inbox tbody tr").all()]


def group_row(page, text: str):
    return page.locator("table.inbox tbody tr").filter(has=page.get_by_role("cell", name=text, exact=True))


def submit(page, row, button: str) -> None:
    with page.expect_navigation():
        row.get_by_role("button", name=button, exact=True).click()


def test_a_logged_out_visitor_reaches_neither_the_inbox_nor_the_export(browser, inbox_console):
    page = browser.new_page()
    for path in ("/inbox", "/inbox/labelled", "/inbox/export.yml"):
        page.goto(f"{inbox_console.url}{path}")
        assert "/login" in page.url
        assert page.get_by_role("button", name="Log in").is_visible()
        assert "wifi" not in page.content().lower()
    page.close()
    for path in ("/inbox/label", "/inbox/unlabel"):
        response = requests.post(f"{inbox_console.url}{path}", allow_redirects=False,
                                 data={"text": "great", "kind": "dismissed", "group": "x"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_reviewer_labels_groups_and_downloads_them_as_training_data(browser, inbox_console, tmp_path: Path):
    page = log_in(browser, inbox_console, Console.REVIEWER)
    page.get_by_role("link", name="NLU inbox").click()
    status = page.get_by_role("status")
    assert status.inner_text() == "11 groups to review (35 messages)"
    assert rows(page)[:6] == EXPECTED_FIRST_ROWS
    assert [count for _, count in rows(page)[6:]] == ["1"] * 5
    assert "874-1234" not in page.content() and "555" not in page.content()
    wifi = group_row(page, "What is the wifi password?")
    assert wifi.locator("ul.guesses li").all_inner_texts() == ["ask_contact 0.31", "ask_locations 0.22",
                                                                "ask_privacy 0.10"]
    assert wifi.get_by_label("Intent").input_value() == "ask_contact", "the best guess is chosen to start with"
    assert group_row(page, "great").get_by_label("Intent").input_value() == "", "no guess, no intent chosen"

    phone = group_row(page, "can you call me at [phone]")
    phone.get_by_label("Intent").select_option("ask_contact")
    submit(page, phone, "Label")
    parking = group_row(page, "do you have parking")
    parking.get_by_label("New topic").fill("ask_parking")
    submit(page, parking, "Add as new topic")
    submit(page, group_row(page, "great"), "Not a question")
    bus = group_row(page, "is there a bus stop nearby")
    bus.get_by_label("Intent").select_option("ask_locations")
    submit(page, bus, "Label")
    assert status.inner_text() == "7 groups to review (16 messages)"
    assert rows(page)[:2] == [("What is the wifi password?", "9"), ("tell me a joke", "2")]
    assert page.get_by_role("link", name="Labelled (4)").is_visible()

    page.get_by_role("link", name="Labelled (4)").click()
    labelled = page.locator("table.labelled tbody tr")
    assert [(row.locator("td").nth(0).inner_text(), row.locator("td").nth(1).inner_text())
            for row in labelled.all()] == [
        ("is there a bus stop nearby", "intent ask_locations"), ("great", "not a question"),
        ("do you have parking", "new topic ask_parking"), ("can you call me at [phone]", "intent ask_contact")]
    bus_label = labelled.filter(has=page.get_by_role("cell", name="is there a bus stop nearby", exact=True))
    submit(page, bus_label, "Undo (back to the inbox)")
    assert page.get_by_role("link", name="Labelled (3)").is_visible()
    page.get_by_role("link", name="To review").click()
    assert status.inner_text() == "8 groups to review (19 messages)"
    assert ("is there a bus stop nearby", "3") in rows(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download training data (YAML)").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    text = exported.read_text(encoding="utf-8")
    examples = {example.get("text"): example.get("intent") for example in load_data(str(exported)).training_examples}
    assert examples == {"can you call me at [phone]": "ask_contact", "do you have parking": "ask_parking"}
    assert "great" not in text and "bus stop" not in text and "874" not in text
    assert "# New topic: add `ask_parking` to the intents in domain.yml" in text
    page.context.close()


def test_the_admin_finds_every_label_change_and_the_export_in_the_audit_trail(browser, inbox_console):
    page = log_in(browser, inbox_console, Console.REVIEWER)
    page.goto(f"{inbox_console.url}/inbox")
    submit(page, group_row(page, "asdfgh"), "Label")
    assert page.get_by_role("heading", name="Not labelled").is_visible()
    assert page.get_by_role("alert").inner_text() == "Choose one of the assistant's intents."
    page.goto(f"{inbox_console.url}/inbox")
    assert group_row(page, "asdfgh").count() == 1
    joke = group_row(page, "tell me a joke")
    joke.get_by_label("Intent").select_option("out_of_scope")
    submit(page, joke, "Label")
    page.goto(f"{inbox_console.url}/inbox/labelled")
    changed = page.locator("table.labelled tbody tr").filter(
        has=page.get_by_role("cell", name="tell me a joke", exact=True))
    submit(page, changed, "Not a question")
    with page.expect_download():
        page.get_by_role("link", name="Download training data (YAML)").click()
    page.context.close()

    admin = log_in(browser, inbox_console, Console.ADMIN)
    admin.get_by_role("link", name="Audit trail").click()
    entries = [row.inner_text() for row in admin.locator("table.audit tbody tr").all()[:4]]
    assert Console.REVIEWER in entries[1] and "export" in entries[1] and "nlu training data" in entries[1]
    assert "label" in entries[2] and "tell me a joke" in entries[2]
    assert "not a question (was intent out_of_scope)" in entries[2]
    assert "label" in entries[3] and "intent out_of_scope" in entries[3]
    admin.context.close()
