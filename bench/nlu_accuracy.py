"""Intent accuracy of a trained model on the held-out test split (tests/nlu/test_nlu.yml)."""
from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from bench.quiet_agent import load_quiet_agent

TEST_SPLIT = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "test_nlu.yml"


def test_examples(path: Path = TEST_SPLIT) -> List[Tuple[str, str]]:
    return [(message.get("text"), message.get("intent")) for message in load_data(str(path)).intent_examples]


async def _predict(agent: Agent, examples: List[Tuple[str, str]]) -> List[Tuple[str, str, str]]:
    results = []
    for text, expected in examples:
        parsed = await agent.parse_message(text)
        results.append((text, expected, parsed["intent"]["name"]))
    return results


def evaluate(model_path: str) -> Dict:
    """Returns accuracy, the examples it missed and the misses per intent."""
    agent = load_quiet_agent(model_path)
    results = asyncio.run(_predict(agent, test_examples()))
    misses = [result for result in results if result[1] != result[2]]
    return {
        "accuracy": 1 - len(misses) / len(results),
        "examples": len(results),
        "misses": misses,
        "misses_per_intent": Counter(expected for _, expected, _ in misses),
    }


if __name__ == "__main__":
    report = evaluate(sys.argv[1])
    for text, expected, predicted in report["misses"]:
        print(f"  {expected:28} -> {predicted:28} {text}")
    print(json.dumps({"accuracy": round(report["accuracy"], 4), "examples": report["examples"]}))
