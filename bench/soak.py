"""`make soak`: the assistant under load, faults and hostile input, as one command that prints a table.

It starts the whole assistant with `scripts/run.sh` (every process supervised) on free loopback ports, with a fresh
SQLite store and a local intake server playing the clinic, then runs four probes:
- load: N conversations of T turns over REST at once; every message answered (never "None"), and stored;
- faults: the same load again while the action server, the booking worker and Rasa are each killed (SIGKILL) and
  restarted by run.sh; a message refused while Rasa is down is sent again, as the widget's visitor would; every
  booking the visitor was told about reaches the clinic once;
- fuzz: malformed and hostile requests (bench/hostile_requests.py) with 100 kB and 100,000-emoji messages among them:
  no 5xx, none slower than 5 s, Rasa's memory back near its level, and the server still answering;
- forged: a client-chosen channel, an unsigned Twilio webhook, a typed intent with entities, the action server
  called without its secret.
`python -m bench.soak --small` is the version `make test` runs (tests/test_soak.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Set, Tuple

import requests
import yaml

from bench.hostile_requests import hostile_requests
from bot.booking.outbox import Outbox
from bot.clinic.profile import DEFAULT_PROFILE_PATH
from tests.conftest import answers, free_port, wait_for
from tests.intake_server import IntakeServer

ROOT = Path(__file__).resolve().parent.parent
NONE_WORD = re.compile(r"\bNone\b")
REFERENCE = re.compile(r"\b(KC-[A-Z0-9]{6})\b")
TOLD_BOOKED = ("your request is with", "recorded your request", "your request is recorded")
SLOW_SECONDS = 5.0
MEMORY_MARGIN_MB = 150
QUESTIONS = [
    "hi", "what are the side effects", "is ketamine safe if i have high blood pressure", "how many sessions do i need",
    "what happens during an infusion", "do you treat ptsd from childhood abuse", "where are you located",
    "can i drive home after", "what should i do after a session", "does insurance cover this",
    "how fast does it work", "my husband has ptsd from iraq, can he come", "is it addictive", "thanks",
    "what's spravato", "can i eat before", "who runs the clinic", "i'm scared it won't work", "ok", "bye",
]
NAMES = ["Sam", "Will", "Grace", "Maria", "Darnell", "Priya", "Chance", "Nguyen"]
BOOKING = ["I'd like to book a free consultation", "{name}", "702 555 01{number:02d}", "upland", "weekday mornings",
           "yes"]


@dataclass(frozen=True)
class Scale:
    conversations: int
    turns: int
    fuzz_requests: int

    @classmethod
    def full(cls) -> "Scale":
        return cls(conversations=50, turns=20, fuzz_requests=10_000)

    @classmethod
    def small(cls) -> "Scale":
        return cls(conversations=6, turns=10, fuzz_requests=300)


@dataclass(frozen=True)
class Row:
    probe: str
    target: str
    measured: str
    ok: bool


@dataclass
class LoadResult:
    sent: int = 0
    answered: int = 0
    refused_then_resent: int = 0
    none_replies: int = 0
    empty_replies: int = 0
    seconds: List[float] = field(default_factory=list)
    answered_texts: Dict[str, List[str]] = field(default_factory=dict)
    told_booked: Set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Stack:
    """The running assistant: its URLs, run directory (pid files), database and the clinic's intake server."""

    rasa: str
    actions: str
    run_dir: Path
    database: Path
    intake: IntakeServer
    env: Dict[str, str]

    def pid(self, name: str) -> int:
        return int((self.run_dir / f"{name}.pid").read_text())

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.pid('rasa')}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def rest(self) -> str:
        return f"{self.rasa}/webhooks/rest/webhook"


@contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    """scripts/run.sh with a clinic profile whose intake form is the local intake server."""
    intake = IntakeServer(free_port()).start()
    ports = {name: free_port() for name in ("RASA_PORT", "ACTION_PORT", "WIDGET_PORT", "CONSOLE_PORT")}
    profile = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())
    profile["intake_form_url"] = intake.url
    (workdir / "profile.yml").write_text(yaml.safe_dump(profile))
    database = workdir / "conversations.db"
    rasa_url = f"http://127.0.0.1:{ports['RASA_PORT']}"
    env = {**os.environ, **{name: str(port) for name, port in ports.items()},
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['ACTION_PORT']}/webhook",
           "TRACKER_DB_URL": f"sqlite:///{database}", "RUN_DIR": str(workdir / "run"), "RESTART_DELAY_SECONDS": "0.5",
           "CORS_ORIGINS": "http://127.0.0.1", "CLINIC_PROFILE": str(workdir / "profile.yml"),
           "INTAKE_SIGNING_SECRET": "soak-signing-secret-0123456789", "BOOKING_RETRY_BASE_SECONDS": "1",
           "BOOKING_WORKER_POLL_SECONDS": "0.5", "ACTION_SERVER_TOKEN": "soak-action-server-token",
           "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "soak-twilio-auth-token",
           "TWILIO_NUMBER": "+17025550100", "TWILIO_WEBHOOK_URL": f"{rasa_url}/webhooks/twilio/webhook",
           "SMS_CONVERSATION_KEY": "soak-sms-conversation-key", "TWILIO_API_BASE": "http://127.0.0.1:9"}
    log = (workdir / "run.log").open("w")
    script = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=log, stderr=subprocess.STDOUT)
    stack = Stack(rasa_url, f"http://127.0.0.1:{ports['ACTION_PORT']}", workdir / "run", database, intake, env)
    try:
        wait_for(lambda: answers(f"{rasa_url}/") and answers(f"{stack.actions}/health"), seconds=300)
        yield stack
    finally:
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
        intake.stop()
        log.close()


def send(stack: Stack, sender: str, text: str, result: LoadResult) -> None:
    """One visitor message; while Rasa is down, sent again until it is answered (up to five minutes)."""
    deadline = time.monotonic() + 300
    while True:
        started = time.monotonic()
        try:
            response = requests.post(stack.rest(), json={"sender": sender, "message": text}, timeout=60)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            with result.lock:
                result.refused_then_resent += 1
            time.sleep(0.5)
    replies = response.json() if response.status_code == 200 else []
    reply = "\n".join(str(message.get("text", "")) for message in replies)
    with result.lock:
        result.sent += 1
        result.seconds.append(time.monotonic() - started)
        if response.status_code == 200:
            result.answered += 1
            result.answered_texts.setdefault(sender, []).append(text)
        result.empty_replies += not reply.strip()
        result.none_replies += bool(NONE_WORD.search(reply))
        if any(phrase in reply.lower() for phrase in TOLD_BOOKED):
            result.told_booked.update(REFERENCE.findall(reply))


def conversation(number: int, turns: int) -> List[str]:
    """Questions from the FAQ, and every third visitor books a consultation along the way."""
    questions = [QUESTIONS[(number + turn) % len(QUESTIONS)] for turn in range(turns)]
    if number % 3:
        return questions
    booking = [text.format(name=NAMES[number % len(NAMES)], number=number % 100) for text in BOOKING]
    # Bookings start at different turns, so the faults probe's kills find them at every step of the form.
    start = 1 + (number // 3) % max(turns - len(booking), 1)
    return (questions[:start] + booking + questions[start:])[:max(turns, start + len(booking))]


def run_load(stack: Stack, scale: Scale, prefix: str, on_progress: Callable[[float], None] = lambda _: None
             ) -> Tuple[LoadResult, float]:
    result = LoadResult()
    scripts = {f"{prefix}-{number}": conversation(number, scale.turns) for number in range(scale.conversations)}
    total = sum(len(texts) for texts in scripts.values())

    def talk(sender: str) -> None:
        for text in scripts[sender]:
            send(stack, sender, text, result)
            on_progress(result.sent / total)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=scale.conversations) as pool:
        list(pool.map(talk, scripts))
    return result, time.monotonic() - started


def unstored(stack: Stack, result: LoadResult) -> int:
    """Answered messages that the tracker store does not hold."""
    with sqlite3.connect(stack.database) as connection:
        missing = 0
        for sender, texts in result.answered_texts.items():
            rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,))
            stored = [json.loads(data).get("text") for (data,) in rows]
            missing += sum(max(texts.count(text) - stored.count(text), 0) for text in set(texts))
    return missing


def load_rows(name: str, stack: Stack, result: LoadResult, seconds: float) -> List[Row]:
    latency = sorted(result.seconds)
    p95 = latency[int(len(latency) * 0.95) - 1] if latency else 0.0
    lost = result.sent - result.answered + unstored(stack, result)
    return [
        Row(f"{name}: messages answered and stored", f"{result.sent}, 0 lost",
            f"{result.answered} answered, {lost} lost; {result.sent / seconds:.0f} msg/s, "
            f"median {statistics.median(latency):.2f} s, p95 {p95:.2f} s", lost == 0),
        Row(f"{name}: replies reading \"None\" or empty", "0",
            f"{result.none_replies} \"None\", {result.empty_replies} empty",
            result.none_replies == 0 and result.empty_replies == 0),
    ]


def bookings_row(stack: Stack, told: Set[str]) -> Row:
    """Every reference a visitor was told about reaches the intake server, and no conversation has two requests."""
    outbox = Outbox(stack.env["TRACKER_DB_URL"])
    try:
        wait_for(lambda: told <= {item.payload["reference"] for item in stack.intake.received}, seconds=120)
    except AssertionError:
        pass
    delivered = {item.payload["reference"] for item in stack.intake.received}
    per_conversation: Dict[str, int] = {}
    for request in outbox.all():
        per_conversation[request.conversation_id] = per_conversation.get(request.conversation_id, 0) + 1
    doubled = sum(count - 1 for count in per_conversation.values())
    lost = len(told - delivered)
    return Row("load and faults: bookings the visitor was told about", "all reach the clinic once",
               f"{len(told)} told, {len(told & delivered)} delivered, {lost} lost, {doubled} doubled",
               lost == 0 and doubled == 0 and bool(told))


def fault_probe(stack: Stack, scale: Scale) -> Tuple[List[Row], Set[str]]:
    """The load again; at 20, 40 and 60% of it the action server, the worker and Rasa are killed in turn."""
    schedule = [(0.2, "actions"), (0.4, "worker"), (0.6, "rasa")]
    killed: List[str] = []
    kill_lock = threading.Lock()

    def kill_on_schedule(progress: float) -> None:
        with kill_lock:
            if schedule and progress >= schedule[0][0]:
                _, name = schedule.pop(0)
                os.kill(stack.pid(name), signal.SIGKILL)
                killed.append(name)

    result, seconds = run_load(stack, scale, "faults", kill_on_schedule)
    back = all(answers(url) for url in (f"{stack.rasa}/", f"{stack.actions}/health"))
    return [
        Row("faults: processes killed and restarted", "actions, worker, rasa", ", ".join(killed) +
            ("; all back" if back else "; NOT all back"), killed == ["actions", "worker", "rasa"] and back),
        *load_rows("faults", stack, result, seconds),
        Row("faults: messages refused while Rasa restarted", "sent again, then answered",
            f"{result.refused_then_resent} refusals", True),
    ], result.told_booked


def fuzz_probe(stack: Stack, scale: Scale) -> List[Row]:
    # About ten requests a sender, as hostile traffic spread over many conversations would come.
    senders = [f"fuzz-{number}" for number in range(max(scale.fuzz_requests // 10, 2))]
    before, peak = stack.rss_mb(), [stack.rss_mb()]
    sampling = threading.Event()

    def sample_memory() -> None:
        while not sampling.wait(0.5):
            peak.append(stack.rss_mb())

    def post(item: Tuple[str, bytes]) -> Tuple[str, int, float]:
        kind, body = item
        started = time.monotonic()
        try:
            status = requests.post(stack.rest(), data=body, headers={"Content-Type": "application/json"},
                                   timeout=60).status_code
        except requests.RequestException:
            status = 0
        return kind, status, time.monotonic() - started

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(post, hostile_requests(scale.fuzz_requests, senders)))
    sampling.set()
    time.sleep(3)
    after = stack.rss_mb()
    errors = [(kind, status) for kind, status, _ in outcomes if status >= 500 or status == 0]
    slowest = max(outcomes, key=lambda outcome: outcome[2])
    slow = sum(seconds > SLOW_SECONDS for _, _, seconds in outcomes)
    alive = requests.post(stack.rest(), json={"sender": "after-fuzz", "message": "is ketamine safe?"}, timeout=30)
    statuses: Dict[int, int] = {}
    for _, status, _ in outcomes:
        statuses[status] = statuses.get(status, 0) + 1
    return [
        Row("fuzz: requests answered without a server error", f"{len(outcomes)}, 0 5xx",
            f"{', '.join(f'{count} x {status}' for status, count in sorted(statuses.items()))}"
            + (f"; errors: {sorted(set(errors))[:3]}" if errors else ""), not errors),
        Row("fuzz: slowest request", f"under {SLOW_SECONDS:.0f} s",
            f"{slowest[2]:.2f} s ({slowest[0]}), {slow} over", slow == 0),
        Row("fuzz: Rasa's memory", f"back within {MEMORY_MARGIN_MB} MB",
            f"{before:.0f} MB before, {max(peak):.0f} MB peak, {after:.0f} MB after",
            after - before <= MEMORY_MARGIN_MB),
        Row("fuzz: server answers afterwards", "200 with a reply", f"{alive.status_code}",
            alive.status_code == 200 and bool(alive.json())),
    ]


def last_user_event(stack: Stack, sender: str) -> Optional[dict]:
    with sqlite3.connect(stack.database) as connection:
        row = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
                                 "ORDER BY id DESC LIMIT 1", (sender,)).fetchone()
    return json.loads(row[0]) if row else None


def forged_probe(stack: Stack) -> List[Row]:
    requests.post(stack.rest(), json={"sender": "forged-channel", "message": "hello", "input_channel": "twilio"},
                  timeout=30)
    channel = (last_user_event(stack, "forged-channel") or {}).get("input_channel")
    sms = requests.post(f"{stack.rasa}/webhooks/twilio/webhook", timeout=30,
                        data={"From": "+17025550111", "To": "+17025550100", "Body": "hello", "MessageSid": "SM1"})
    requests.post(stack.rest(), json={"sender": "forged-intent",
                                      "message": '/inform{"phone_number": "+17025550199"}'}, timeout=30)
    parsed = (last_user_event(stack, "forged-intent") or {}).get("parse_data", {})
    intent = parsed.get("intent", {})
    # A command's entities carry no extractor; the pipeline's own (a phone number read from the words) do.
    injected = [entity for entity in parsed.get("entities", []) if "extractor" not in entity]
    action_calls = [requests.post(f"{stack.actions}/webhook", json={"next_action": "action_submit_booking"},
                                  headers=headers, timeout=30).status_code
                    for headers in ({}, {"Authorization": "Bearer wrong"})]
    return [
        Row("forged: REST request naming another channel", "stored as rest", f"stored as {channel}", channel == "rest"),
        Row("forged: unsigned Twilio webhook", "403", str(sms.status_code), sms.status_code == 403),
        Row("forged: typed /inform with a phone number", "read as words, nothing taken from the command",
            f"intent {intent.get('name')} ({intent.get('confidence') or 0:.2f}), {len(injected)} entities from it",
            not injected and intent.get("confidence") != 1.0),
        Row("forged: action server without its secret", "401 or 403", ", ".join(map(str, action_calls)),
            all(status in (401, 403) for status in action_calls)),
    ]


def soak(scale: Scale) -> List[Row]:
    with tempfile.TemporaryDirectory(prefix="soak-") as workdir, running_stack(Path(workdir)) as stack:
        load, seconds = run_load(stack, scale, "load")
        rows = load_rows("load", stack, load, seconds)
        fault_rows, told_during_faults = fault_probe(stack, scale)
        rows += fault_rows + [bookings_row(stack, load.told_booked | told_during_faults)]
        rows += fuzz_probe(stack, scale)
        rows += forged_probe(stack)
    return rows


def table(rows: List[Row], scale: Scale) -> str:
    widths = [max(len(getattr(row, name)) for row in rows) for name in ("probe", "target", "measured")]
    lines = [f"Soak: {scale.conversations} conversations x {scale.turns} turns, {scale.fuzz_requests} hostile requests",
             f"| {'probe':<{widths[0]}} | {'target':<{widths[1]}} | {'measured':<{widths[2]}} | ok |",
             f"|{'-' * (widths[0] + 2)}|{'-' * (widths[1] + 2)}|{'-' * (widths[2] + 2)}|----|"]
    lines += [f"| {row.probe:<{widths[0]}} | {row.target:<{widths[1]}} | {row.measured:<{widths[2]}} | "
              f"{'yes' if row.ok else 'NO':<3}|" for row in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the quick version make test runs")
    scale = Scale.small() if parser.parse_args().small else Scale.full()
    rows = soak(scale)
    print(table(rows, scale))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
