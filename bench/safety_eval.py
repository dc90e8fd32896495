"""Safety on text nobody on the team wrote: recall per kind and false alarms, for the rules, the classifier and both.

A row's `accept` is an intent list or `NOT:a,b`; a row is right when the final intent is acceptable. The sets are
../shared/eval/safety_dev.tsv (published and composed messages) and tests/safety/public_eval*.tsv (gathered from
public pages for evaluation; patterns were written from what sets 1 and 2 taught, set 3 is held out), and the real
clinic questions, none of which may be taken for a crisis. No row is copied into patterns or training data.
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

import yaml

from bot.nlu.safety_component import SafetyStage
from bot.nlu.safety_rules import SafetyRules

ROOT = Path(__file__).resolve().parent.parent
# Scored only as totals: their rows are never printed, so they keep measuring text nobody here has read.
HELD_OUT = frozenset({"public_3", "blind_probes_held"})
SAFETY_SETS = {
    "dev": ROOT.parent / "shared" / "eval" / "safety_dev.tsv",
    "public": ROOT / "tests" / "safety" / "public_eval.tsv",
    "public_2": ROOT / "tests" / "safety" / "public_eval_2.tsv",
    # Gathered last, from other sites, after the patterns were written: never read row by row.
    "public_3": ROOT / "tests" / "safety" / "public_eval_3.tsv",
    # Crises, emergencies and look-alikes in many voices, each round written by a helper that saw no file of this
    # repository: rounds 2-4, 7, 9 and half of 10 taught patterns and examples; rounds 5, 6, 8 and the other half
    # of 10 (held) only measure.
    "blind_probes": ROOT / "tests" / "safety" / "blind_probes.tsv",
    "blind_probes_held": ROOT / "tests" / "safety" / "blind_probes_held.tsv",
}
QUESTION_SET = ROOT.parent / "shared" / "eval" / "real_questions_dev.tsv"


@dataclass(frozen=True)
class Row:
    text: str
    accept: str
    kind: str

    @property
    def must_flag(self) -> bool:
        return not self.accept.startswith("NOT:")

    def accepts(self, intent: Optional[str]) -> bool:
        if self.must_flag:
            return intent in self.accept.split(",")
        return intent not in self.accept[4:].split(",")


def load_rows(path: Path) -> List[Row]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [Row(row["text"], row["accept"], row.get("kind") or "question")
                for row in csv.DictReader(handle, delimiter="\t")]


def question_rows() -> List[Row]:
    """Real clinic questions: none may get a crisis or emergency reply."""
    return [Row(row.text, "NOT:crisis,medical_emergency", "real_question") for row in load_rows(QUESTION_SET)]


def score(rows: Iterable[Row], predict: Callable[[str], Optional[str]]) -> Dict:
    """Per kind: rows and rights; overall: recall of the rows that must be flagged and false alarms on the others."""
    per_kind: Dict[str, List[int]] = defaultdict(lambda: [0, 0])
    misses: List[str] = []
    must, caught, others, false_alarms = 0, 0, 0, 0
    for row in rows:
        intent = predict(row.text)
        right = row.accepts(intent)
        per_kind[row.kind][0] += 1
        per_kind[row.kind][1] += right
        if row.must_flag:
            must += 1
            caught += right
        else:
            others += 1
            false_alarms += not right
        if not right:
            misses.append(f"{row.kind:14} {str(intent):18} {row.text}")
    return {"per_kind": dict(per_kind), "recall": caught / must if must else 1.0, "must": must,
            "false_alarms": false_alarms, "others": others, "misses": misses}


def rules_predictor(rules: SafetyRules) -> Callable[[str], Optional[str]]:
    def predict(text: str) -> Optional[str]:
        return rules.detect(text).label
    return predict


def model_parser(model_path: str) -> Callable[[str], Dict]:
    """The whole NLU pipeline of a trained model: classifier, fallback and the safety stage."""
    from bench.quiet_agent import load_quiet_agent

    agent = load_quiet_agent(model_path)
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def model_predictor(model_path: str) -> Callable[[str], Optional[str]]:
    parse = model_parser(model_path)
    return lambda text: parse(text)["intent"]["name"]


def classifier_line() -> float:
    """The safety stage's line on the classifier's probability of crisis or emergency, as config.yml sets it."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    stage = next(component for component in pipeline if component["name"].endswith(SafetyStage.__name__))
    return stage.get("classifier_threshold", SafetyStage.get_default_config()["classifier_threshold"])


def pipeline_views(model_path: str) -> Dict[str, Callable[[str], Optional[str]]]:
    """What the classifier alone would say (crisis or emergency at or over the stage's line, else nothing), and what
    the whole pipeline says, from one parse per message."""
    parse = model_parser(model_path)
    line = classifier_line()
    parsed: Dict[str, Dict] = {}

    def cached(text: str) -> Dict:
        if text not in parsed:
            parsed[text] = parse(text)
        return parsed[text]

    def classifier_alone(text: str) -> Optional[str]:
        risk = cached(text)["safety"]["risk"]
        return risk["name"] if (risk["confidence"] or 0.0) >= line else None

    return {"classifier alone": classifier_alone, "rules + classifier": lambda text: cached(text)["intent"]["name"]}


def print_report(name: str, report: Dict, show_misses: bool) -> None:
    recall = f"recall {report['recall']:.1%} of {report['must']}, " if report["must"] else ""
    print(f"\n{name}: {recall}false alarms {report['false_alarms']} of {report['others']}")
    for kind, (rows, right) in sorted(report["per_kind"].items()):
        print(f"  {kind:16} {right:3}/{rows:<3} {right / rows:6.1%}")
    if show_misses:
        for miss in report["misses"]:
            print("   x", miss)


def timing_table(rules: SafetyRules) -> None:
    """The stage's time per character stays flat as messages grow: its cost is linear in their length."""
    print("\nsafety stage time by message length (median of 3)")
    print(f"  {'message':24} {'chars':>8} {'ms':>9} {'us/char':>8}")
    for name, unit in (("emoji, no spaces", "\U0001F600"), ("prose", "i keep thinking about the infusion "),
                       ("crisis phrase repeated", "i want to die ")):
        for length in (1_000, 10_000, 100_000):
            text = (unit * (length // len(unit) + 1))[:length]
            times = []
            for _ in range(3):
                started = time.perf_counter()
                rules.detect(text)
                times.append(time.perf_counter() - started)
            seconds = statistics.median(times)
            print(f"  {name:24} {length:8} {seconds * 1000:9.1f} {seconds * 1e6 / length:8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", help="also score a trained model's whole NLU pipeline")
    parser.add_argument("--misses", action="store_true", help="list the rows each scorer got wrong")
    args = parser.parse_args()
    rules = SafetyRules()
    predictors = {"rules alone": rules_predictor(rules)}
    if args.model:
        predictors.update(pipeline_views(args.model))
    for set_name, path in {**SAFETY_SETS, "questions": QUESTION_SET}.items():
        rows = question_rows() if set_name == "questions" else load_rows(path)
        for name, predict in predictors.items():
            print_report(f"{set_name} / {name}", score(rows, predict), args.misses and set_name not in HELD_OUT)
    timing_table(rules)
