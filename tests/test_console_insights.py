"""The console's figures, charts and CSV export, counted from real Rasa events written by Rasa's SQL tracker store."""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, timezone
from typing import Dict, Iterator, List, Optional

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.console.charts import bar_chart, daily_chart
from bot.console.csv_export import write_csv
from bot.console.insights import Insights, insights, unanswered_questions
from tests.conftest import PROJECT_ROOT

MARCH_1, MARCH_5 = date(2024, 3, 1), date(2024, 3, 5)


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 3) -> float:
    return datetime(2024, month, day, hour, minute, second, tzinfo=timezone.utc).timestamp()


class Conversation:
    """Builds a conversation's events the way the running assistant writes them, one second apart."""

    def __init__(self, channel: str = "rest") -> None:
        self.channel = channel
        self.events: List[Event] = []
        self.clock = 0.0

    def session(self, start: float, carried: Optional[Dict[str, bool]] = None) -> "Conversation":
        self.clock = start
        self.events += [ActionExecuted("action_session_start", timestamp=self._tick()), SessionStarted(self._tick())]
        self.events += [SlotSet(name, value, timestamp=self._tick()) for name, value in (carried or {}).items()]
        self.events.append(ActionExecuted("action_listen", timestamp=self._tick()))
        return self

    def says(
        self, text: str, intent: str, confidence: float = 0.95, ranking: Optional[List[dict]] = None,
        flag: Optional[str] = None, action: str = "utter_answer",
    ) -> "Conversation":
        parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}
        if ranking is not None:
            parse_data["intent_ranking"] = ranking
        self.events.append(
            UserUttered(text, parse_data["intent"], parse_data=parse_data, timestamp=self._tick(),
                        input_channel=self.channel)
        )
        if flag:
            self.events.append(SlotSet(flag, True, timestamp=self._tick()))
        self.events += [
            ActionExecuted(action, timestamp=self._tick()),
            BotUttered("An answer.", timestamp=self._tick()),
            ActionExecuted("action_listen", timestamp=self._tick()),
        ]
        return self

    def books(self) -> "Conversation":
        self.events.append(SlotSet("booking_requested", True, timestamp=self._tick()))
        return self

    def _tick(self) -> float:
        self.clock += 1
        return self.clock


def conversations() -> Dict[str, Conversation]:
    return {
        "web-1": Conversation().session(at(1, 10))
        .says("hello", "greet").says("how much is it", "ask_cost").says("I'd like to book", "book_appointment")
        .books(),
        # Starts a minute before midnight on 1 March; its crisis flag is carried into the session of 3 March.
        "sms-2": Conversation("twilio").session(at(1, 23, 58, 50))
        .says("I don't want to be here anymore", "crisis", flag="crisis_flagged")
        .session(at(3, 9), carried={"crisis_flagged": True}).says("hi again", "greet"),
        "web-3": Conversation().session(at(3, 12))
        .says("what's the wifi password", "nlu_fallback", 0.4,
              ranking=[{"name": "nlu_fallback", "confidence": 0.4}, {"name": "ask_contact", "confidence": 0.21}])
        .says("can you order me a pizza", "out_of_scope", 0.93)
        .says("what does it cost", "ask_cost").says("book me in", "book_appointment"),
        "web-4": Conversation().session(at(5, 23))
        .says("my friend collapsed", "medical_emergency", flag="emergency_flagged")
        .says("=HYPERLINK(\"http://x\") <script>", "nlu_fallback", 0.4),
        # Started in February, with a crisis flagged then; it books in March from a new session.
        "old-5": Conversation().session(at(28, 8, month=2))
        .says("price?", "ask_cost").says("help me", "crisis", flag="crisis_flagged")
        .session(at(2, 8), carried={"crisis_flagged": True})
        .says("price again?", "ask_cost").says("book", "book_appointment").books(),
        "late-6": Conversation().session(at(6, 1)).says("cost", "ask_cost").says("huh", "nlu_fallback", 0.4),
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.engine.Engine]:
    path = tmp_path_factory.mktemp("console") / "conversations.db"
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(path))
    for sender_id, conversation in conversations().items():
        tracker = DialogueStateTracker.from_events(sender_id, conversation.events, slots=domain.slots)
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def march(database: sa.engine.Engine) -> Insights:
    return insights(database, MARCH_1, MARCH_5)


def test_the_tracker_store_wrote_the_columns_the_queries_read(database: sa.engine.Engine) -> None:
    with database.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, intent_name, action_name FROM events WHERE sender_id = 'web-1'")
        ).all()
    assert ("user", "book_appointment", None) in rows
    assert ("slot", None, "booking_requested") in rows


def test_conversations_count_on_the_day_they_started_with_empty_days_as_zero(march: Insights) -> None:
    assert march.conversations_per_day == (
        (date(2024, 3, 1), 2), (date(2024, 3, 2), 0), (date(2024, 3, 3), 1), (date(2024, 3, 4), 0),
        (date(2024, 3, 5), 1),
    )
    assert march.conversations == 4


def test_messages_and_top_intents_count_the_user_messages_in_the_period(march: Insights) -> None:
    assert march.messages == 13
    assert march.top_intents == (
        ("ask_cost", 3), ("book_appointment", 3), ("greet", 2), ("crisis", 1), ("medical_emergency", 1),
        ("out_of_scope", 1),
    )


def test_fallback_rate_is_the_share_of_fallback_and_out_of_scope_messages(march: Insights) -> None:
    assert march.fallback_messages == 3
    assert march.fallback_rate == pytest.approx(3 / 13)


def test_a_flag_counts_once_when_first_set_not_again_when_carried_into_a_new_session(
    database: sa.engine.Engine, march: Insights
) -> None:
    assert (march.crisis_conversations, march.emergency_conversations) == (1, 1)
    march_2 = insights(database, date(2024, 3, 2), date(2024, 3, 2))
    assert march_2.crisis_conversations == 0
    assert insights(database, date(2024, 2, 28), date(2024, 2, 28)).crisis_conversations == 1


def test_booking_conversion_is_requests_recorded_over_conversations_that_asked_to_book(
    database: sa.engine.Engine, march: Insights
) -> None:
    assert (march.booking_asked, march.booking_requested) == (3, 2)
    assert march.booking_conversion == pytest.approx(2 / 3)
    march_2 = insights(database, date(2024, 3, 2), date(2024, 3, 2))
    assert (march_2.messages, march_2.booking_asked, march_2.booking_requested) == (2, 1, 1)
    assert march_2.conversations_per_day == ((date(2024, 3, 2), 0),)


def test_a_quiet_period_has_no_rates_rather_than_zero(database: sa.engine.Engine) -> None:
    quiet = insights(database, date(2023, 1, 1), date(2023, 1, 3))
    assert quiet.conversations_per_day == tuple((date(2023, 1, day), 0) for day in (1, 2, 3))
    assert (quiet.messages, quiet.top_intents, quiet.fallback_rate, quiet.booking_conversion) == (0, (), None, None)


def test_a_period_must_not_end_before_it_starts(database: sa.engine.Engine) -> None:
    with pytest.raises(ValueError):
        insights(database, MARCH_5, MARCH_1)


def test_unanswered_questions_are_the_fallback_messages_newest_first(database: sa.engine.Engine) -> None:
    questions = unanswered_questions(database, MARCH_1, MARCH_5)
    assert [(q.sender_id, q.text, q.intent) for q in questions] == [
        ("web-4", "=HYPERLINK(\"http://x\") <script>", "nlu_fallback"),
        ("web-3", "can you order me a pizza", "out_of_scope"),
        ("web-3", "what's the wifi password", "nlu_fallback"),
    ]
    assert questions[1].confidence == pytest.approx(0.93)
    assert questions[2].confidence == pytest.approx(0.21)  # the rejected guess, not the 0.4 threshold
    assert questions[2].at.tzinfo is timezone.utc and questions[2].at.date() == date(2024, 3, 3)
    assert [q.text for q in unanswered_questions(database, MARCH_1, MARCH_5, limit=1)] == [questions[0].text]


def test_bar_chart_shows_labels_and_values_and_escapes_labels() -> None:
    svg = bar_chart([("ask_cost", 42), ("<script>alert(1)</script>", 7)], "Top <intents>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-label="Top &lt;intents&gt;"' in svg and "<title>Top &lt;intents&gt;" in svg
    assert ">42<" in svg and ">7<" in svg and "ask_cost" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "viewBox=" in svg


def test_daily_chart_shows_the_maximum_and_a_few_dates() -> None:
    days = [(date(2024, 3, day), count) for day, count in zip(range(1, 31), [0, 3, 17, 5] * 8)]
    svg = daily_chart(days, "Conversations per day")
    assert ">17<" in svg and "Mar 1<" in svg
    assert 2 <= svg.count("</text>") - 3 <= 6  # title, maximum and zero, then the date labels
    assert svg.count("<rect") == 30 and "2024-03-03: 17" in svg


@pytest.mark.parametrize("chart", [lambda: bar_chart([], "Top intents"), lambda: daily_chart([], "Per day")])
def test_charts_say_no_data_when_empty(chart) -> None:
    svg = chart()
    assert "No data" in svg and 'role="img"' in svg and "<rect" not in svg


def read(lines: List[str]) -> List[List[str]]:
    return list(csv.reader(io.StringIO("".join(lines))))


def test_csv_streams_one_record_at_a_time_and_quotes_what_needs_it() -> None:
    rows = [("a, b", 'she said "hi"', "two\nlines"), ("Ünïcødé ✓", 3, None)]
    lines = list(write_csv(iter(rows), ["text", "quote", "note"]))
    assert len(lines) == 3 and lines[0] == "text,quote,note\r\n"
    assert read(lines) == [["text", "quote", "note"], ["a, b", 'she said "hi"', "two\nlines"], ["Ünïcødé ✓", "3", ""]]


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas() -> None:
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "a=b", -5]
    [_, row] = read(list(write_csv([cells], [str(i) for i in range(len(cells))])))
    assert row == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "-5"]
