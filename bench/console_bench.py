"""The staff console's conversation index against reading the events table directly, in the same run.

Seeds 10 000 conversations into a temporary SQLite database, then times the index (first full refresh, an
incremental refresh with nothing new, list pages, search, filters) and, as the baseline, the same list page and
search done straight over the events table with GROUP BY sender_id and LIKE over the event JSON.

Then it serves the same database with the real console and times the pages a reviewer opens, end to end over
HTTP (index refresh, query, redaction of the previews, rendering): what "the list answers in under a second" means.

    python -m bench.console_bench [--count 10000] [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import requests
import sqlalchemy as sa

from bench.seed_conversations import seed_conversations
from bot.console import conversations as index
from bot.console.accounts import ADMIN, StaffAccounts
from bot.console.conversations import ConversationFilter
from bot.database import tuned_engine
from tests.conftest import free_port, start, stop, wait_until_up

PER_PAGE = 50
ONE_WORD, TWO_WORDS = "infusion", "infusion upland"
# What the console needs per conversation, recomputed from every event: the baseline's view of a list row.
NAIVE_ROWS = """
SELECT sender_id, min(timestamp) AS started_at, max(timestamp) AS last_active_at,
       sum(type_name = 'user') AS turns,
       max(type_name = 'slot' AND action_name = 'crisis_flagged') AS crisis,
       max(type_name = 'slot' AND action_name = 'emergency_flagged') AS emergency,
       max(type_name = 'slot' AND action_name = 'booking_requested') AS booking_requested,
       max(intent_name IN ('nlu_fallback', 'out_of_scope')
           OR action_name IN ('action_handle_fallback', 'action_default_fallback')) AS fallback,
       max(type_name = 'slot' AND action_name = 'human_requested') AS human_requested
FROM events GROUP BY sender_id {having}
"""


def naive(connection: sa.engine.Connection, words: List[str], page: int) -> Tuple[int, list]:
    """The list page without the index: every event grouped by conversation, search by LIKE over the JSON."""
    having = " AND ".join(f"max(type_name = 'user' AND lower(data) LIKE :term{i})" for i in range(len(words)))
    rows = NAIVE_ROWS.format(having=f"HAVING {having}" if words else "")
    terms = {f"term{i}": f"%{word}%" for i, word in enumerate(words)}
    total = connection.execute(sa.text(f"SELECT count(*) FROM ({rows})"), terms).scalar()
    page_rows = connection.execute(
        sa.text(f"{rows} ORDER BY started_at DESC, sender_id DESC LIMIT {PER_PAGE} OFFSET {(page - 1) * PER_PAGE}"),
        terms,
    ).all()
    return total, page_rows


def median_ms(operation: Callable[[], object], runs: int, before: Optional[Callable[[], None]] = None) -> float:
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        operation()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def table(rows: List[Tuple[str, float, Optional[float]]]) -> str:
    lines = ["| operation | index ms (median) | events-table baseline ms | baseline / index |", "|---|---|---|---|"]
    for label, ours, baseline in rows:
        if baseline is None:
            lines.append(f"| {label} | {ours:.1f} | | |")
        else:
            lines.append(f"| {label} | {ours:.1f} | {baseline:.1f} | {baseline / ours:.0f}x faster |")
    return "\n".join(lines)


PAGES = {"page: list, page 1": "/conversations", "page: list, page 150": "/conversations?page=150",
         f"page: search '{TWO_WORDS}'": f"/conversations?q={TWO_WORDS.replace(' ', '+')}",
         "page: crisis only": "/conversations?flag=crisis", "page: a transcript": None,
         "page: insights, last 30 days": "/insights", "CSV export of every conversation": "/conversations/export.csv"}


def page_timings(database: Path, engine: sa.engine.Engine, runs: int) -> List[Tuple[str, float, Optional[float]]]:
    """The console's own pages, logged in as an admin, as a browser would fetch them."""
    StaffAccounts(engine).create("bench.admin", "bench password 1234", ADMIN)
    port = free_port()
    env = {**os.environ, "TRACKER_DB_URL": f"sqlite:///{database}", "CONSOLE_PORT": str(port)}
    log = database.with_name("console.log")
    server = start([sys.executable, "-m", "bot.console.server"], env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/login", server, log)
        session = requests.Session()
        token = re.search(r'name="csrf_token" value="([^"]+)"', session.get(f"{url}/login").text).group(1)
        session.post(f"{url}/login", data={"username": "bench.admin", "password": "bench password 1234",
                                           "csrf_token": token}).raise_for_status()
        listing = session.get(f"{url}/conversations").text
        first = re.search(r'href="(/conversations/(?!export)[^"]+)"', listing).group(1)
        return [(label, median_ms(lambda path=path or first: session.get(url + path).raise_for_status(), runs), None)
                for label, path in PAGES.items()]
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000, help="conversations to seed")
    parser.add_argument("--runs", type=int, default=5, help="runs per operation; the median is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="console-bench-") as workdir:
        database = Path(workdir) / "conversations.db"
        engine = tuned_engine(f"sqlite:///{database}")
        started = time.perf_counter()
        written = seed_conversations(engine, args.count)
        print(f"seeded {args.count} conversations, {written} events in {time.perf_counter() - started:.1f}s",
              flush=True)

        def forget_index() -> None:
            with engine.begin() as connection:
                connection.execute(index.conversations.delete())
                connection.execute(index.index_state.update().values(last_event_id=0))

        index.refresh(engine)
        today = date.today()
        recent_sms = ConversationFilter(channel="sms", since=today - timedelta(days=30), until=today)

        def listing(search: ConversationFilter, page: int = 1) -> Callable[[], object]:
            return lambda: index.list_conversations(engine, search, page, PER_PAGE)

        with engine.connect() as connection:
            results = [
                ("first full refresh", median_ms(lambda: index.refresh(engine), args.runs, forget_index), None),
                ("incremental refresh, nothing new", median_ms(lambda: index.refresh(engine), args.runs), None),
                ("list page 1", median_ms(listing(ConversationFilter()), args.runs),
                 median_ms(lambda: naive(connection, [], 1), args.runs)),
                ("list page 150", median_ms(listing(ConversationFilter(), 150), args.runs), None),
                (f"search '{ONE_WORD}'", median_ms(listing(ConversationFilter(query=ONE_WORD)), args.runs),
                 median_ms(lambda: naive(connection, ONE_WORD.split(), 1), args.runs)),
                (f"search '{TWO_WORDS}'", median_ms(listing(ConversationFilter(query=TWO_WORDS)), args.runs),
                 median_ms(lambda: naive(connection, TWO_WORDS.split(), 1), args.runs)),
                ("filter crisis only", median_ms(listing(ConversationFilter(flags=frozenset({"crisis"}))), args.runs),
                 None),
                ("filter SMS, last 30 days", median_ms(listing(recent_sms), args.runs), None),
            ]
        results += page_timings(database, engine, args.runs)
    print(table(results))


if __name__ == "__main__":
    main()
