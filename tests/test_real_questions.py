"""Understanding real questions, through the trained model's whole NLU pipeline, on text nobody on the team wrote.

The floors sit just under what was measured (README, "Understanding real questions"); raise them as the data grows.
"""
from __future__ import annotations

import asyncio
import csv
import re
from pathlib import Path
from typing import Dict, FrozenSet, List, Set

import pytest

from bench.quiet_agent import load_quiet_agent
from bench.real_questions import HELD_OUT, QUESTION_SETS, evaluate
from bench.safety_eval import SAFETY_SETS
from tests.conftest import MODEL_PATH, PROJECT_ROOT

# Per set: the least share answered right, and the least share with the right answer one tap away. Dev's one-tap
# floor is 176 of 178: one question went from one tap to none when the risk classifier began answering what it is
# sure of alone (README, "Benchmark"), as the other two sets gained.
GATES = {"dev": (0.90, 0.985), "gathered (learned from)": (0.86, 0.94), HELD_OUT: (0.79, 0.92)}
WORD = re.compile(r"[a-z0-9']+")
NEAR_COPY = 0.85
# Shorter rows than this are greetings and one-word answers ("hello", "agent"), which anyone would write.
NEAR_COPY_MIN_WORDS = 3
COMMON_WORDINGS = PROJECT_ROOT / "tests" / "nlu" / "common_question_wordings.txt"


@pytest.fixture(scope="module")
def scores():
    return evaluate(str(MODEL_PATH))


@pytest.mark.parametrize("name", sorted(GATES))
def test_real_questions_get_the_right_answer_or_a_one_tap_choice(scores, name):
    if name not in scores:
        pytest.skip(f"{QUESTION_SETS[name]} is not there (../shared must sit beside this checkout)")
    right_floor, one_tap_floor = GATES[name]
    result = scores[name]
    misses = "(held-out rows are not printed)" if name == HELD_OUT else "\n".join(result.misses)
    right, one_tap = result.rate(result.right), result.rate(result.one_tap)
    assert right >= right_floor, misses
    assert one_tap >= one_tap_floor, misses


def test_scoring_never_prints_the_questions_it_reads(capfd):
    """Printed held-out rows get read, and a set that has been read measures memory."""
    agent = load_quiet_agent(str(MODEL_PATH))
    asyncio.run(agent.parse_message("a question only this test asks about ketamine"))
    printed = capfd.readouterr()
    assert "only this test asks" not in printed.out + printed.err


def words(text: str) -> FrozenSet[str]:
    return frozenset(WORD.findall(text.lower()))


def training_texts() -> Dict[str, FrozenSet[str]]:
    """Each training example, as written, with its words."""
    examples = {}
    for path in (PROJECT_ROOT / "bot" / "data").glob("*.yml"):
        for match in re.finditer(r"^\s*-\s+(.+)$", path.read_text(encoding="utf-8"), re.M):
            examples[match.group(1)] = words(re.sub(r"\[([^\]]+)\][({][^)}]*[)}]", r"\1", match.group(1)))
    return {example: text for example, text in examples.items() if len(text) >= NEAR_COPY_MIN_WORDS}


def evaluation_rows(paths: List[Path]) -> List[str]:
    rows = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                rows += [row["text"] for row in csv.DictReader(handle, delimiter="\t") if row.get("text")]
    return rows


def near_copies(rows: List[str]) -> Set[str]:
    """The training examples that are a near-copy of one of `rows`."""
    training = training_texts()
    copies = set()
    for text in rows:
        row = words(text)
        if len(row) >= NEAR_COPY_MIN_WORDS:
            copies.update(example for example, example_words in training.items()
                          if len(row & example_words) / len(row | example_words) >= NEAR_COPY)
    return copies


def test_training_data_holds_no_near_copy_of_an_evaluation_row():
    """A copied row makes its set measure memory again; rewrite what a row teaches in your own words instead.

    The failure names the training examples to reword, never the rows: a printed held-out row gets read.
    """
    copies = near_copies(evaluation_rows([*QUESTION_SETS.values(), *SAFETY_SETS.values()]))
    assert not copies, "reword these training examples:\n" + "\n".join(sorted(copies))


def test_training_data_holds_no_common_wording_of_a_question():
    """An example in the plainest wording of a common question ("do you take insurance") is a near-copy of every real
    question asked that way, so such questions would measure memory; give the example a voice of its own."""
    lines = COMMON_WORDINGS.read_text(encoding="utf-8").splitlines()
    copies = near_copies([line for line in lines if line.strip() and not line.startswith("#")])
    assert not copies, "reword these training examples:\n" + "\n".join(sorted(copies))
