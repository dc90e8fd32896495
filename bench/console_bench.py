"""The staff console's conversation index against reading the events table directly, in the same run.

Seeds 10 000 conversations into a temporary SQLite database, then times the index (first full refresh, an
incremental refresh with nothing new, list pages, search, filters) and, as the baseline, the same list page and
search done straight over the events table with GROUP BY sender_id and LIKE over the event JSON.

    python -m bench.console_bench [--count 10000] [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import sqlalchemy as sa

from bench.seed_conversations import seed_conversations
from bot.console import conversations as index
from bot.console.conversations import ConversationFilter
from bot.database import tuned_engine

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000, help="conversations to seed")
    parser.add_argument("--runs", type=int, default=5, help="runs per operation; the median is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="console-bench-") as workdir:
        engine = tuned_engine(f"sqlite:///{Path(workdir) / 'conversations.db'}")
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
    print(table(results))


if __name__ == "__main__":
    main()
