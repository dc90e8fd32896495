"""The chat widget on the clinic demo page, driven in Debian's headless Chromium with Playwright."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.clinic.profile import clinic_profile
from tests.conftest import PROJECT_ROOT, free_port, start_widget_server, stop, wait_until_up

ARTEFACTS = PROJECT_ROOT / "results" / "browser"
PROFILE = clinic_profile()

@pytest.fixture
def page(browser, assistant):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.goto(assistant.page_url)
    yield opened
    context.close()


def open_chat(page) -> None:
    page.get_by_role("button", name="Chat with us").click()
    page.locator(".kc-bot").first.wait_for()


def ask(page, text: str) -> None:
    page.get_by_label("Type your message").fill(text)
    page.get_by_label("Type your message").press("Enter")


def last_bot_text(page, containing: str) -> str:
    bubble = page.locator(".kc-bot", has_text=containing).last
    bubble.wait_for(timeout=30_000)
    return bubble.inner_text()


def test_opening_shows_the_greeting_and_the_automated_assistant_notice(page):
    open_chat(page)
    assert "not a clinician" in page.locator(".kc-notice").inner_text()
    assert "automated assistant" in last_bot_text(page, "automated assistant")
    assert page.locator("[role=log][aria-live=polite]").count() == 1


def test_a_question_gets_the_right_answer(page):
    open_chat(page)
    ask(page, "what are the side effects?")
    assert "30 minutes" in last_bot_text(page, "30 minutes")


def test_a_quick_reply_sends_its_payload(page):
    open_chat(page)
    page.get_by_role("button", name="What to expect").first.click()
    assert "45-60 minutes" in last_bot_text(page, "45-60 minutes")
    assert page.locator(".kc-user", has_text="What to expect").count() == 1


def test_a_crisis_message_shows_988(page):
    open_chat(page)
    ask(page, "i dont want to be alive anymore")
    reply = last_bot_text(page, "838255")
    assert "988" in reply and "741741" in reply
    assert page.locator(".kc-bot a[href='tel:988']").count() >= 1


def test_html_and_script_stay_inert_text(page):
    payload = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"
    open_chat(page)
    ask(page, payload)
    page.locator(".kc-user", has_text="<script>").wait_for()
    page.locator(".kc-bot").nth(2).wait_for(timeout=30_000)
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".kc-log img, .kc-log script").count() == 0
    assert payload in page.locator(".kc-user").last.inner_text()


def test_history_survives_a_reload(page):
    open_chat(page)
    ask(page, "how many infusions will i need")
    last_bot_text(page, "4-6 infusions")
    sender = page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].senderId")
    page.reload()
    assert page.locator(".kc-user", has_text="how many infusions").count() == 1
    assert "4-6 infusions" in last_bot_text(page, "4-6 infusions")
    assert page.evaluate("Object.values(sessionStorage).map(JSON.parse)[0].senderId") == sender
    assert len(sender) == 36 and sender.count("-") == 4


def test_the_phone_number_is_a_tel_link(page):
    open_chat(page)
    ask(page, "whats your phone number")
    last_bot_text(page, PROFILE.main_phone)
    digits = "".join(c for c in PROFILE.main_phone if c.isdigit())
    assert page.locator(f".kc-bot a[href='tel:+1{digits}']").count() >= 1


def test_need_help_now_shows_the_crisis_lines(page):
    page.get_by_role("button", name="Need help now?").first.click()
    crisis = page.get_by_role("region", name="Crisis lines")
    crisis.wait_for()
    assert "988" in crisis.inner_text() and "741741" in crisis.inner_text()


def test_keyboard_alone_opens_asks_and_closes(page):
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Chat with us"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "kc-input"
    page.keyboard.type("is it safe")
    page.keyboard.press("Enter")
    last_bot_text(page, "anesthetic")
    page.keyboard.press("Escape")
    assert page.locator("#kc-panel").is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "kc-panel"


def test_panel_fits_a_375_px_phone_and_is_saved_as_an_artefact(browser, assistant):
    context = browser.new_context(viewport={"width": 375, "height": 667}, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(assistant.page_url)
    open_chat(phone)
    box = phone.locator("#kc-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] >= 0
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTEFACTS / "widget-open-375px.png"))
    context.close()


def test_unreachable_assistant_gets_a_friendly_error_with_the_phone(browser, assistant, tmp_path: Path):
    port = free_port()
    dead_assistant = f"http://127.0.0.1:{free_port()}"
    server = start_widget_server(port, dead_assistant, {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}, tmp_path / "p.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}", server, tmp_path / "p.log")
        context = browser.new_context()
        offline = context.new_page()
        offline.goto(f"http://127.0.0.1:{port}")
        offline.get_by_role("button", name="Chat with us").click()
        error = offline.get_by_role("alert")
        error.wait_for(timeout=30_000)
        assert "can't reach the assistant" in error.inner_text() and PROFILE.main_phone in error.inner_text()
        context.close()
    finally:
        stop(server)
