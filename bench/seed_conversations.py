"""Writes generated but realistic conversations into Rasa's events table, in Rasa's event JSON, for the console bench.

Questions come from the NLU training data (with typos), answers from the domain's responses, and the events follow
what Rasa stores for a turn. About 3% of conversations reach a crisis, 1% an emergency, 8% a booking and 10% a
fallback; a third are SMS. The same --seed gives the same conversations.

    python -m bench.seed_conversations --database sqlite:///var/seed.db --count 10000
"""
from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import random
import re
import string
import time
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import sqlalchemy as sa
import yaml

from bot.clinic.profile import clinic_profile
from bot.database import engine as database_engine
from bot.tracker_store import events

ROOT = Path(__file__).resolve().parent.parent
DAY = 86400.0
SPREAD_DAYS = 90
CHUNK_ROWS = 5000
MODEL_META = {"model_id": "5eedc0ffee5eedc0ffee5eedc0ffee00", "assistant_id": "klarity-clinic-assistant"}
FAQ_INTENTS = (
    "ask_what_is_ketamine", "ask_how_it_works", "ask_about_ptsd", "ask_trauma_types", "ask_other_conditions",
    "ask_effectiveness", "ask_results_timeline", "ask_treatment_plan", "ask_what_to_expect", "ask_side_effects",
    "ask_safety", "ask_contraindications", "ask_eligibility", "ask_aftercare", "ask_medications",
    "ask_therapy_integration", "ask_standard_treatments", "ask_consultation", "ask_cost", "ask_locations",
    "ask_contact", "ask_clinic_team", "ask_privacy", "ask_medical_advice", "bot_challenge", "thank",
)
# Intents answered by a custom action rather than their own response.
ANSWER_ACTIONS = {"ask_locations": ("action_answer_locations", "utter_ask_locations"),
                  "ask_trauma_types": ("action_answer_trauma_types", "utter_ask_trauma_types")}
NAMES = ("Maria", "Jake", "Darnell", "Priya", "Keisha", "Tom", "Sofia", "Ana", "Luis", "Dana", "Marcus", "Aisha",
         "Kevin", "Mei", "Jordan", "Rosa", "Tyler", "Fatima", "Brandon", "Yesenia", "Hector", "Linh", "Shawn", "Grace")
CONTACT_TIMES = ("mornings", "after 5pm", "weekday mornings", "lunchtime", "anytime tmrw", "evenings work best",
                 "tues or thurs afternoon", "before 10am", "saturday morning if possible")
LOCATION_ANSWERS = ("upland", "vegas", "the las vegas one", "Upland please", "henderson is closer for me", "rancho")
GIBBERISH = ("asdfgh", "hmm ok so what abt the thing", "???", "k", "idk what to ask", "blue", "lol")
ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")

COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
Row = Tuple[float, str, str, Optional[str], Optional[str], Dict[str, Any]]


@lru_cache(maxsize=1)
def examples() -> Dict[str, List[str]]:
    """Training examples by intent, entity markup removed: what people really type."""
    nlu = yaml.safe_load((ROOT / "bot" / "data" / "nlu.yml").read_text())["nlu"]
    return {item["intent"]: [ENTITY.sub(r"\1", line[2:].strip()) for line in item["examples"].splitlines()
                             if line.strip().startswith("- ")]
            for item in nlu if "intent" in item}


class StandIns(dict):
    """Values for a response's placeholders; one a new response brings that is not named here reads as a stand-in,
    so only tests/test_consistency.py keeps the list of placeholders."""

    def __missing__(self, key: str) -> str:
        return "the details given"


@lru_cache(maxsize=1)
def responses() -> Dict[Tuple[str, str], str]:
    """Each response's web and SMS text, filled with the clinic's values."""
    profile = clinic_profile()
    location = profile.locations[0]
    values = StandIns({**profile.response_values(), "location_name": location.name, "location_region": location.region,
              "location_address": location.address, "location_phone": location.phone,
              "location_phone_link": "tel:" + location.phone, "reference": "KC-7QX4MP", "sender_phone": "the number",
              "place": "Reno", "trauma_label": "combat-related PTSD",
              "first_name": "you", "phone_number": "the number given", "contact_time": "at the time given",
              "preferred_location": location.name,
              "locations_list": "\n".join(f"- {place.name}: {place.address}" for place in profile.locations)})
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    texts = {}
    for name, variants in domain.items():
        for variant in variants:
            if "text" in variant:
                texts.setdefault((name, variant.get("channel", "web")), variant["text"].format_map(values))
    return texts


def typo(text: str, rng: random.Random) -> str:
    """A third of messages get a slip: swapped, dropped or doubled letters, or no capitals and punctuation."""
    if rng.random() > 0.33 or len(text) < 4:
        return text
    i = rng.randrange(len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == 1:
        return text[:i] + text[i + 1:]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text.lower().translate(str.maketrans("", "", string.punctuation))


def phone_number(rng: random.Random) -> str:
    """Fictional numbers only (555-0100 to 555-0199), written the ways people write them."""
    area, line = rng.choice(("702", "909", "725", "626")), f"01{rng.randrange(100):02d}"
    return rng.choice((f"{area}-555-{line}", f"({area}) 555-{line}", f"{area}555{line}", f"{area} 555 {line}"))


class Conversation:
    """One generated conversation, yielding its events in time order so many can be merged by time."""

    def __init__(self, index: int, seed: int, now: float) -> None:
        self.rng = random.Random(f"{seed}:{index}")
        rng = self.rng
        self.sms = rng.random() < 0.33
        digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()
        self.sender = f"sms-{digest[:40]}" if self.sms else digest[:32]
        self.channel = "twilio" if self.sms else "rest"
        self.clock = now - rng.uniform(0.01, SPREAD_DAYS) * DAY
        self.now = now

    def events(self) -> Iterator[Row]:
        rng = self.rng
        turns = rng.randint(2, 20)
        plan: List[str] = [rng.choice(FAQ_INTENTS) for _ in range(turns)]
        if rng.random() < 0.4:
            plan[0] = "greet"
        if rng.random() < 0.08:
            plan = plan[:max(1, turns - 6)] + ["booking"]
        for kind, share in (("fallback", 0.10), ("human", 0.04), ("crisis", 0.03), ("emergency", 0.01)):
            questions = [i for i, step in enumerate(plan) if step in FAQ_INTENTS or step == "greet"]
            if rng.random() < share and questions:
                plan[rng.choice(questions)] = kind
        yield from self.session_start()
        for step in plan:
            yield from getattr(self, f"turn_{step}", self.turn_faq)(step)

    def at(self, seconds: float) -> float:
        self.clock = min(self.clock + seconds, self.now)
        return self.clock

    def event(self, type_name: str, intent: Optional[str] = None, action: Optional[str] = None,
              **data: Any) -> Row:
        timestamp = self.at(self.rng.uniform(0.001, 0.05))
        return timestamp, self.sender, type_name, intent, action, {"event": type_name, "timestamp": timestamp,
                                                                   "metadata": dict(MODEL_META), **data}

    def action(self, name: str, policy: Optional[str] = "RulePolicy") -> Row:
        return self.event("action", action=name, name=name, policy=policy, confidence=1.0, action_text=None,
                          hide_rule_turn=False)

    def slot(self, name: str, value: Any) -> Row:
        return self.event("slot", action=name, name=name, value=value)

    def bot(self, response: str) -> Row:
        text = responses().get((response, "twilio" if self.sms else "web")) or responses()[(response, "web")]
        return self.event("bot", text=text, data={"elements": None, "quick_replies": None, "buttons": None,
                                                  "attachment": None, "image": None, "custom": None},
                          metadata={**MODEL_META, "utter_action": response})

    def utter(self, response: str) -> List[Row]:
        return [self.action(response), self.bot(response), self.action("action_listen")]

    def user(self, intent: str, text: str) -> List[Row]:
        self.at(self.rng.uniform(4, 240))
        message_id = f"{self.rng.getrandbits(128):032x}"
        confidence = round(self.rng.uniform(0.2, 0.39) if intent == "nlu_fallback" else self.rng.uniform(0.6, 1), 4)
        parse_data = {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
                      "message_id": message_id, "metadata": {},
                      "intent_ranking": [{"name": intent, "confidence": confidence}]}
        return [self.event("user", intent=intent, text=text, parse_data=parse_data, input_channel=self.channel,
                           message_id=message_id),
                self.event("user_featurization", use_text_for_featurization=False)]

    def ask(self, intent: str) -> List[Row]:
        text = typo(self.rng.choice(examples()[intent]), self.rng)
        if self.rng.random() < 0.05:
            text = f"hi this is {self.rng.choice(NAMES)}, {text}"
        return self.user(intent, text)

    def session_start(self) -> Iterator[Row]:
        yield self.action("action_session_start", policy=None)
        yield self.bot("utter_session_intro")
        yield self.event("session_started")
        for name, value in clinic_profile().response_values().items():
            yield self.slot(name, value)
        yield self.action("action_listen", policy=None)

    def turn_faq(self, intent: str) -> Iterator[Row]:
        yield from self.ask(intent)
        if intent in ANSWER_ACTIONS:
            action, response = ANSWER_ACTIONS[intent]
            yield from (self.action(action), self.bot(response), self.action("action_listen"))
        else:
            yield from self.utter(f"utter_{intent}")

    def turn_greet(self, intent: str) -> Iterator[Row]:
        yield from self.ask(intent)
        yield from self.utter("utter_greet")

    def turn_fallback(self, _: str) -> Iterator[Row]:
        if self.rng.random() < 0.5:
            yield from self.user("nlu_fallback", self.rng.choice(GIBBERISH))
            response = "utter_offer_topics"
        else:
            yield from self.ask("out_of_scope")
            response = "utter_out_of_scope"
        yield from (self.action("action_handle_fallback"), self.bot(response), self.action("action_listen"))

    def turn_human(self, _: str) -> Iterator[Row]:
        yield from self.ask("ask_human")
        yield from (self.action("action_hand_to_phone_line"), self.bot("utter_hand_to_phone_line"),
                    self.slot("human_requested", True), self.action("action_listen"))

    def turn_crisis(self, _: str) -> Iterator[Row]:
        yield from self.ask("crisis")
        yield self.slot("crisis_flagged", True)
        yield from self.utter("utter_crisis")

    def turn_emergency(self, _: str) -> Iterator[Row]:
        yield from self.ask("medical_emergency")
        yield self.slot("emergency_flagged", True)
        yield from self.utter("utter_medical_emergency")

    def turn_booking(self, _: str) -> Iterator[Row]:
        """The booking form: six user turns, ending with the request recorded."""
        rng = self.rng
        name, phone = rng.choice(NAMES), phone_number(rng)
        yield from self.ask("book_appointment")
        yield from (self.action("booking_form"), self.event("active_loop", action="booking_form", name="booking_form"),
                    self.slot("requested_slot", "first_name"), self.bot("utter_ask_first_name"),
                    self.action("action_listen"))
        answers = (("first_name", rng.choice((name, f"its {name}", f"my name is {name}")), "phone_number"),
                   ("phone_number", rng.choice((phone, f"my cell is {phone}")), "preferred_location"),
                   ("preferred_location", rng.choice(LOCATION_ANSWERS), "contact_time"),
                   ("contact_time", rng.choice(CONTACT_TIMES), "contact_consent"))
        for slot, text, next_slot in answers:
            yield from self.user("inform", text)
            yield from (self.action("booking_form"), self.slot(slot, text), self.slot("requested_slot", next_slot),
                        self.bot(f"utter_ask_{next_slot}"), self.action("action_listen"))
        yield from self.user("affirm", rng.choice(("yes", "yes please", "ok", "sure")))
        yield from (self.action("booking_form"), self.slot("contact_consent", True),
                    self.slot("requested_slot", None), self.event("active_loop", name=None),
                    self.action("action_submit_booking"), self.slot("booking_reference", "KC-7QX4MP"),
                    self.slot("booking_requested", True), self.bot("utter_booking_confirmed"),
                    self.action("action_listen"))


def generate(count: int, seed: int, now: float) -> Iterator[Row]:
    """All conversations' events merged in time order, as they would have reached the table."""
    return heapq.merge(*(Conversation(index, seed, now).events() for index in range(count)), key=itemgetter(0))


def bulk_insert(connection: sa.engine.Connection) -> Callable[[List[tuple]], None]:
    """SQLite takes rows straight through the driver (3x faster than Core's per-row parameter handling);
    elsewhere Core's executemany, which psycopg2 sends as multi-row VALUES."""
    if connection.dialect.name == "sqlite":
        sql = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        return lambda rows: connection.exec_driver_sql(sql, rows)
    return lambda rows: connection.execute(events.insert(), [dict(zip(COLUMNS, row)) for row in rows])


def seed_conversations(engine: sa.engine.Engine, count: int, seed: int = 7, now: Optional[float] = None) -> int:
    """Writes `count` conversations in bulk and returns the number of events written."""
    # Created here only when Rasa has not run on the database yet.
    events.create(engine, checkfirst=True)
    written, chunk = 0, []
    with engine.begin() as connection:
        insert = bulk_insert(connection)
        for timestamp, sender, type_name, intent, action, data in generate(count, seed, now or time.time()):
            chunk.append((sender, type_name, timestamp, intent, action, json.dumps(data)))
            if len(chunk) == CHUNK_ROWS:
                insert(chunk)
                written, chunk = written + len(chunk), []
        if chunk:
            insert(chunk)
    return written + len(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL, e.g. sqlite:///var/seed.db")
    parser.add_argument("--count", type=int, default=10000, help="conversations to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed writes the same conversations")
    parser.add_argument("--now", type=float, help="Unix time the 90 days end at (default: now)")
    args = parser.parse_args()
    started = time.perf_counter()
    written = seed_conversations(database_engine(args.database), args.count, args.seed, args.now)
    print(f"{args.count} conversations, {written} events in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
