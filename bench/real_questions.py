"""How often real people's questions get the right answer, measured on text nobody on the team wrote.

A row's `accept` lists the acceptable intents. For each set it reports the right answer, "not sure" (nlu_fallback),
a wrong answer, the classifier's first guess (fallback ignored), the right intent among the first three, and
"one tap away": the right answer, or a button of the answer given (in the chat widget), or among the topics offered
with a "not sure" or beside an unsure answer (bot/nlg/topics.py).
The sets: ../shared/eval/real_questions_dev.tsv, and questions gathered from other public pages, split by source
into one we learn from and one held out (bench/real_questions_*.tsv). No row is copied into the training data.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml
from rasa.core.agent import Agent

from bench.quiet_agent import load_quiet_agent
from bot.nlg.topics import alternatives, button_intents, offered_topics, topic_titles

ROOT = Path(__file__).resolve().parent.parent
# Scored only as totals: its rows are never printed, so it keeps measuring text nobody here has read.
HELD_OUT = "gathered (held out)"
QUESTION_SETS = {
    "dev": ROOT.parent / "shared" / "eval" / "real_questions_dev.tsv",
    "gathered (learned from)": ROOT / "bench" / "real_questions_learn.tsv",
    HELD_OUT: ROOT / "bench" / "real_questions_holdout.tsv",
}
NLU_FALLBACK = "nlu_fallback"


@dataclass
class Score:
    rows: int = 0
    right: int = 0
    fallback: int = 0
    wrong: int = 0
    first_guess: int = 0
    top_three: int = 0
    one_tap: int = 0
    # Left out of the repr, so no failing assertion that shows a Score can print a held-out row.
    misses: List[str] = field(default_factory=list, repr=False)

    def rate(self, count: int) -> float:
        return count / self.rows if self.rows else 0.0


def load_rows(path: Path) -> List[Dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row.get("text")]


def widget_button_intents(agent: Agent, intent: str) -> List[str]:
    """The topics an answer's own buttons lead to in the chat widget (its variation for no particular channel)."""
    variations = [v for v in agent.domain.responses.get(f"utter_{intent}", []) if not v.get("channel")]
    return sorted(button_intents(variations[0].get("buttons") if variations else None))


async def score(agent: Agent, rows: List[Dict[str, str]], titles: Dict[str, str]) -> Score:
    result = Score()
    for row in rows:
        accept = set(row["accept"].split(","))
        parsed = await agent.parse_message(row["text"])
        final = parsed["intent"]["name"]
        ranking = [entry["name"] for entry in parsed.get("intent_ranking", []) if entry["name"] != NLU_FALLBACK]
        confidence = parsed["intent"].get("confidence") or 0.0
        on_buttons = widget_button_intents(agent, final)
        offered = (offered_topics(ranking, titles) if final == NLU_FALLBACK
                   else [*on_buttons, *alternatives(final, confidence, ranking, titles, on_buttons)])
        result.rows += 1
        result.right += final in accept
        result.fallback += final == NLU_FALLBACK
        result.wrong += final not in accept and final != NLU_FALLBACK
        result.first_guess += bool(ranking) and ranking[0] in accept
        result.top_three += bool(accept & set(ranking[:3]))
        result.one_tap += final in accept or bool(accept & set(offered))
        if final not in accept:
            result.misses.append(f"{row['accept']:30} <- {final:24} offered {','.join(offered) or '-':60} | {row['text'][:140]}")
    return result


def evaluate(model_path: str, sets: Dict[str, Path] = QUESTION_SETS) -> Dict[str, Score]:
    """Scores every set that exists; the gathered ones are optional for people without them."""
    agent = load_quiet_agent(model_path)
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    titles = topic_titles(domain["intents"], domain["responses"])
    return {name: asyncio.run(score(agent, load_rows(path), titles)) for name, path in sets.items() if path.exists()}


def table(scores: Dict[str, Score]) -> str:
    measures = [("right answer", "right"), ('"not sure", topics offered', "fallback"), ("wrong answer", "wrong"),
                ("first guess right (fallback ignored)", "first_guess"), ("right intent in the first three", "top_three"),
                ("right answer one tap away", "one_tap")]
    lines = ["| measure | " + " | ".join(f"{name} ({s.rows})" for name, s in scores.items()) + " |",
             "|---|" + "---|" * len(scores)]
    for label, attribute in measures:
        cells = [f"{s.rate(getattr(s, attribute)):.1%}" for s in scores.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--misses", action="store_true", help="list every row not answered right (learning sets only)")
    args = parser.parse_args()
    scores = evaluate(args.model)
    print(table(scores))
    if args.misses:
        for name, result in scores.items():
            if name != HELD_OUT:
                print(f"\n## {name}\n" + "\n".join(sorted(result.misses)))


if __name__ == "__main__":
    main()
