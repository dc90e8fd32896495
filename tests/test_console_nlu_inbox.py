"""The NLU inbox's grouping, labels and training-data export, over real Rasa events in a real SQLite store."""
from __future__ import annotations

import asyncio
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.loading import load_data

from bot.clinic.profile import clinic_profile
from bot.console import conversations
from bot.console.insights import unanswered_questions
from bot.console.nlu_inbox import (
    DISMISSED, INTENT, NEW_TOPIC, Label, LabelError, NluLabels, domain_intents, group_id, group_key, group_messages,
    inbox, tidy, training_data,
)
from bot.console.redaction import Redactor, public_details
from tests.conftest import PROJECT_ROOT
from tests.test_console_insights import Conversation, at

MARCH_1, MARCH_5 = date(2024, 3, 1), date(2024, 3, 5)
INTENTS = domain_intents(PROJECT_ROOT / "domain.yml")
WIFI_RANKING = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_contact", "confidence": 0.31},
                {"name": "ask_locations", "confidence": 0.22}, {"name": "ask_privacy", "confidence": 0.1},
                {"name": "greet", "confidence": 0.05}]


@lru_cache(maxsize=None)
def redactor_for(names: Tuple[str, ...]) -> Redactor:
    return Redactor(names=names, keep=public_details(clinic_profile()))


def redact(text: str) -> str:
    return redactor_for(()).redact(text)


def seed(store: SQLTrackerStore, conversations_by_id: Dict[str, Conversation]) -> None:
    """Saves each conversation through Rasa's own tracker store, as the running assistant does."""
    for sender_id, conversation in conversations_by_id.items():
        tracker = DialogueStateTracker.from_events(sender_id, conversation.events, slots=store.domain.slots)
        asyncio.run(store.save(tracker))


def gave_a_name(conversation: Conversation) -> Conversation:
    """What the booking form records when someone gives their first name."""
    conversation.events.append(SlotSet("first_name", "Josefina", timestamp=conversation.clock + 0.5))
    return conversation


def march() -> Dict[str, Conversation]:
    """Repeats that differ in case, punctuation, spacing and phone number, a name given while booking, an answered
    message, and unanswered ones outside 1-5 March."""
    return {
        "wifi-1": Conversation().session(at(1, 9))
        .says("What is the wifi password?", "nlu_fallback", 0.4, ranking=WIFI_RANKING)
        .says("how much is it", "ask_cost"),
        "wifi-2": Conversation().session(at(2, 9)).says("what is the  WIFI password", "nlu_fallback", 0.4),
        "wifi-3": Conversation().session(at(3, 9))
        .says("What is the wifi password?", "nlu_fallback", 0.4, ranking=WIFI_RANKING),
        "great-1": Conversation().session(at(1, 10)).says("Great!", "nlu_fallback", 0.4).says("great", "out_of_scope"),
        "great-2": Conversation().session(at(4, 10)).says("GREAT .", "nlu_fallback", 0.4),
        "great-3": Conversation().session(at(2, 10)).says("Ｇｒｅａｔ!!", "nlu_fallback", 0.4),
        "great-4": Conversation().session(at(3, 10)).says("great", "nlu_fallback", 0.4),
        "phone-1": Conversation().session(at(2, 11)).says("call me at 702-874-1234", "nlu_fallback", 0.4),
        "phone-2": Conversation().session(at(5, 11))
        .says("Call me at (725) 555-0142!", "nlu_fallback", 0.4,
              ranking=[{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_contact", "confidence": 0.38}]),
        "named": gave_a_name(Conversation().session(at(3, 12)).says("I'd like to book", "book_appointment"))
        .says("thanks, signed josefina", "nlu_fallback", 0.4),
        "february": Conversation().session(at(28, 9, month=2)).says("what is the wifi password", "nlu_fallback"),
        "april": Conversation().session(at(1, 9, month=4)).says("great", "nlu_fallback", 0.4),
    }


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.engine.Engine]:
    path = tmp_path / "conversations.db"
    store = SQLTrackerStore(Domain.load(PROJECT_ROOT / "domain.yml"), dialect="sqlite", db=str(path))
    seed(store, march())
    store.engine.dispose()
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    conversations.refresh(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def labels(tmp_path: Path) -> Iterator[NluLabels]:
    """Labels in a database of their own, for the tests that need no messages."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'labels.db'}", future=True)
    yield NluLabels(engine, redact)
    engine.dispose()


def summary(groups) -> List[Tuple[str, int, str]]:
    return [(group.text, group.count, group.last_conversation) for group in groups]


@pytest.mark.parametrize("written, key", [
    ("Great!", "great"), ("GREAT .", "great"), ("  great \n", "great"), ("Ｇｒｅａｔ!!", "great"),
    ("what is the\tWIFI  password?!", "what is the wifi password"), ("STRASSE …", "strasse"),
    ("call me at [phone].", "call me at [phone]"), ("why?” — really", "why?” — really"), ("?", "?"),
    ("...", "..."), ("What's the wifi password?", "whats the wifi password"),
    ("what\u2019s the wifi password", "whats the wifi password"), ("whats the wifi password", "whats the wifi password"),
])
def test_a_group_key_ignores_case_width_spacing_apostrophes_and_trailing_punctuation(written: str, key: str) -> None:
    assert group_key(tidy(written)) == key


def test_tidy_keeps_one_line_without_control_characters() -> None:
    assert tidy("two\nlines\u2028and\x00 a\tbell\x07 ") == "two lines and a bell"


def test_messages_group_by_redacted_text_most_frequent_first(engine: sa.engine.Engine) -> None:
    groups = group_messages(unanswered_questions(engine, MARCH_1, MARCH_5), redactor_for)
    assert summary(groups) == [
        ("great", 5, "great-2"),
        ("What is the wifi password?", 3, "wifi-3"),
        ("Call me at [phone]!", 2, "phone-2"),
        ("thanks, signed [name]", 1, "named"),
    ]
    great, wifi, phone, _ = groups
    assert great.last_seen.date() == date(2024, 3, 4)
    assert wifi.guesses == (("ask_contact", 0.31), ("ask_locations", 0.22), ("ask_privacy", 0.1))
    assert phone.guesses == (("ask_contact", 0.38),)
    assert all("874" not in group.text and "555" not in group.text for group in groups)


def test_of_equally_common_wordings_the_latest_is_shown(engine: sa.engine.Engine) -> None:
    groups = group_messages(unanswered_questions(engine, MARCH_1, date(2024, 3, 2)), redactor_for)
    assert summary(groups)[0] == ("Ｇｒｅａｔ!!", 3, "great-3")


def test_the_inbox_leaves_out_labelled_groups_and_pages(engine: sa.engine.Engine) -> None:
    labels = NluLabels(engine, redact)
    labels.label("GREAT", DISMISSED, None, "rita.reviewer", INTENTS)
    first = inbox(engine, labels, MARCH_1, MARCH_5, redactor_for, page=1, per_page=2)
    assert [group.text for group in first.groups.items] == ["What is the wifi password?", "Call me at [phone]!"]
    assert (first.groups.total, first.groups.pages, first.messages, first.labelled) == (3, 2, 6, 1)
    second = inbox(engine, labels, MARCH_1, MARCH_5, redactor_for, page=2, per_page=2)
    assert [group.text for group in second.groups.items] == ["thanks, signed [name]"]
    assert inbox(engine, labels, date(2024, 2, 1), date(2024, 2, 29), redactor_for).groups.total == 1


def test_a_label_can_be_changed_and_undone(engine: sa.engine.Engine) -> None:
    labels = NluLabels(engine, redact)
    label, replaced = labels.label("what is the wifi password", INTENT, "ask_contact", "rita.reviewer", INTENTS)
    assert replaced is None and label.describe() == "intent ask_contact"
    changed, replaced = labels.label("What is the WiFi password?", NEW_TOPIC, "ask_wifi", "ana.admin", INTENTS)
    assert replaced == label
    assert (changed.group_id, changed.describe(), changed.labelled_by) == (label.group_id, "new topic ask_wifi",
                                                                           "ana.admin")
    assert labels.all() == [changed]
    assert labels.remove(changed.group_id) == changed
    assert labels.remove(changed.group_id) is None
    assert inbox(engine, labels, MARCH_1, MARCH_5, redactor_for).groups.total == 4


def test_a_label_stores_the_redacted_text_only(labels: NluLabels) -> None:
    label, _ = labels.label("call me at 702-874-1234", INTENT, "ask_contact", "rita.reviewer", INTENTS)
    assert label.text == "call me at [phone]"
    assert label.group_id == group_id("call me at [phone]")
    assert [stored.text for stored in labels.all()] == ["call me at [phone]"]


def test_a_new_topic_named_like_an_existing_intent_is_that_intent(labels: NluLabels) -> None:
    label, _ = labels.label("what does it cost", NEW_TOPIC, "ask_cost", "rita.reviewer", INTENTS)
    assert (label.kind, label.intent) == (INTENT, "ask_cost")


@pytest.mark.parametrize("kind, name, message", [
    (INTENT, "ask_weather", "Choose one of the assistant's intents"),
    (INTENT, "", "Choose one of the assistant's intents"),
    (NEW_TOPIC, "Ask Parking", "snake_case"),
    (NEW_TOPIC, "ask__parking", "snake_case"),
    (NEW_TOPIC, "a" * 49, "snake_case"),
    (NEW_TOPIC, "nlu_fallback", "reserved by Rasa"),
    ("delete", "ask_cost", "Choose an intent, name a new topic"),
])
def test_a_label_must_name_an_intent_or_a_proper_topic(labels: NluLabels, kind: str, name: str, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        labels.label("do you have parking", kind, name, "rita.reviewer", INTENTS)
    assert labels.all() == []


def test_a_label_needs_a_message(labels: NluLabels) -> None:
    with pytest.raises(LabelError, match="no message"):
        labels.label(" \n ", DISMISSED, None, "rita.reviewer", INTENTS)


def exported(labelled: List[Label], tmp_path: Path) -> Tuple[str, Dict[str, str]]:
    """The export's text, and what Rasa's own loader reads from it: each example's text and intent."""
    text = training_data(labelled, INTENTS)
    path = tmp_path / "nlu_inbox.yml"
    path.write_text(text, encoding="utf-8")
    loaded = load_data(str(path))
    assert all(not example.get("entities") for example in loaded.training_examples)
    return text, {example.get("text"): example.get("intent") for example in loaded.training_examples}


def test_the_export_is_rasa_training_data_without_dismissed_groups(labels: NluLabels, tmp_path: Path) -> None:
    labels.label("call me at 702-874-1234", INTENT, "ask_contact", "rita.reviewer", INTENTS)
    labels.label("What does it cost?", INTENT, "ask_cost", "rita.reviewer", INTENTS)
    labels.label("do you have parking", NEW_TOPIC, "ask_parking", "rita.reviewer", INTENTS)
    labels.label("great", DISMISSED, None, "rita.reviewer", INTENTS)
    text, examples = exported(labels.all(), tmp_path)
    assert examples == {"call me at [phone]": "ask_contact", "What does it cost?": "ask_cost",
                        "do you have parking": "ask_parking"}
    assert text.startswith('version: "3.1"\nnlu:\n')
    assert "- intent: ask_cost\n  examples: |\n    - What does it cost?\n" in text
    assert "# New topic: add `ask_parking` to the intents in domain.yml, write a response for it and a rule" in text
    assert text.index("ask_cost") < text.index("ask_parking"), "the domain's intents first, new topics last"
    assert text.count("# New topic") == 1 and "great" not in text


@pytest.mark.parametrize("written", [
    'he said "yes": #1 - or no?', "- starts like an example", "'quoted' & {braced} | piped > folded",
    "ünïcødé ✓ 😀",
    "yes", "null", "100%", "bom\ufeffinside",
])
def test_the_export_keeps_texts_exactly_whatever_their_characters(labels: NluLabels, tmp_path: Path,
                                                                   written: str) -> None:
    labels.label(written, NEW_TOPIC, "ask_odd", "rita.reviewer", INTENTS)
    _, examples = exported(labels.all(), tmp_path)
    assert examples == {written: "ask_odd"}


def test_brackets_in_an_export_stay_text_not_entity_annotations(labels: NluLabels, tmp_path: Path) -> None:
    labels.label("reach me on 702-874-1234(cell) or [here](there)", INTENT, "ask_contact", "rita.reviewer", INTENTS)
    _, examples = exported(labels.all(), tmp_path)
    assert examples == {"reach me on [phone] (cell) or [here] (there)": "ask_contact"}


def test_the_intents_come_from_the_domain_file_and_follow_its_changes(tmp_path: Path) -> None:
    assert {"ask_cost", "book_appointment", "out_of_scope"} <= set(INTENTS) and "nlu_fallback" not in INTENTS
    domain = tmp_path / "domain.yml"
    domain.write_text('version: "3.1"\nintents:\n- greet\n- ask_cost:\n    use_entities: []\n')
    assert domain_intents(domain) == ("greet", "ask_cost")
    domain.write_text('version: "3.1"\nintents:\n- greet\n- ask_parking\n- ask_cost\n')
    assert domain_intents(domain) == ("greet", "ask_parking", "ask_cost")


def test_postgresql_groups_and_labels(postgres_url: str) -> None:
    store = SQLTrackerStore(Domain.load(PROJECT_ROOT / "domain.yml"), dialect="postgresql", host=postgres_url)
    seed(store, march())
    store.engine.dispose()
    engine = sa.create_engine(postgres_url, future=True)
    try:
        conversations.refresh(engine)
        labels = NluLabels(engine, redact)
        labels.label("great", DISMISSED, None, "rita.reviewer", INTENTS)
        labels.label("great!", INTENT, "affirm", "rita.reviewer", INTENTS)
        found = inbox(engine, labels, MARCH_1, MARCH_5, redactor_for)
        assert summary(found.groups.items) == [("What is the wifi password?", 3, "wifi-3"),
                                               ("Call me at [phone]!", 2, "phone-2"),
                                               ("thanks, signed [name]", 1, "named")]
        assert [(label.text, label.describe()) for label in labels.all()] == [("great!", "intent affirm")]
    finally:
        engine.dispose()
