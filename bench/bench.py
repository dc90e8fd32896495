"""`make bench`: our configuration against the stock `rasa init` one, trained and served in the same run.

For each configuration it measures training time (empty cache), time from start to ready, right answers and
"one tap away" on real people's questions (../shared/eval/real_questions_dev.tsv), intent accuracy on the test
split, resident memory, and REST latency and throughput at 1, 10 and 50 concurrent conversations.
A conversation is eight messages from the test split, as a visitor would send them. A configuration whose
training inputs have not changed since its last run here is not trained again: its model and training time are
reused (the stock one trains for over an hour on two cores); --retrain trains every configuration afresh.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import secrets
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

import requests

from bench import real_questions
from bench.nlu_accuracy import evaluate, test_examples
from tests.conftest import free_port, start, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
CONFIGS = {"ours": ROOT / "config.yml", "stock": ROOT / "bench" / "configs" / "stock.yml"}
CANDIDATES = {"diet": ROOT / "bench" / "configs" / "diet.yml", "logreg": ROOT / "bench" / "configs" / "logreg.yml"}
# What a configuration's training reads; a change to any of them makes its last model stale.
TRAINING_INPUTS = ("domain.yml", "bot/data/*.yml", "bot/nlu/*.py", "bot/policies/*.py", "requirements*.txt")
CONCURRENCY = (1, 10, 50)
# A visitor who waits this long for a reply has given up; such a message counts as unanswered.
REPLY_TIMEOUT_SECONDS = 60
MESSAGES_PER_CONVERSATION = 8
CONVERSATIONS_PER_LEVEL = 50


@dataclass
class Result:
    name: str
    train_seconds: float = 0.0
    ready_seconds: float = 0.0
    accuracy: float = 0.0
    real_right: float = 0.0
    real_one_tap: float = 0.0
    rss_mb: float = 0.0
    latency: Dict[int, Dict[str, float]] = field(default_factory=dict)


def training_fingerprint(config: Path) -> str:
    digest = hashlib.sha256(config.read_bytes())
    for pattern in TRAINING_INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def train(name: str, config: Path, env: Dict[str, str], retrain: bool) -> Tuple[Path, float]:
    """Trains with an empty cache so the time is a real training time, unless the last run here trained on the same
    inputs: then its model and its training time stand."""
    model, seconds_file = OUT / f"{name}.tar.gz", OUT / f"{name}.train_seconds"
    fingerprint_file, fingerprint = OUT / f"{name}.fingerprint", training_fingerprint(config)
    unchanged = fingerprint_file.exists() and fingerprint_file.read_text() == fingerprint
    if unchanged and not retrain and model.exists() and seconds_file.exists():
        print(f"  {name}: inputs unchanged since it was last trained here; reusing that model", flush=True)
        return model, float(seconds_file.read_text())
    with tempfile.TemporaryDirectory() as cache:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "bot.rasa_command", "train", "--skip-validation", "--config", str(config),
             "--domain", "domain.yml", "--data", "bot/data", "--out", str(OUT), "--fixed-model-name", name],
            cwd=ROOT, env={**env, "RASA_CACHE_DIRECTORY": cache}, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        seconds = time.monotonic() - started
    seconds_file.write_text(f"{seconds:.1f}")
    fingerprint_file.write_text(fingerprint)
    return model, seconds


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def conversation(url: str, sender: str, texts: List[str]) -> List[float]:
    """Each message's reply time; a message refused or not answered in time counts as REPLY_TIMEOUT_SECONDS."""
    timings = []
    with requests.Session() as session:
        for text in texts:
            started = time.perf_counter()
            try:
                session.post(url, json={"sender": sender, "message": text},
                             timeout=REPLY_TIMEOUT_SECONDS).raise_for_status()
                timings.append(time.perf_counter() - started)
            except requests.RequestException:
                timings.append(float(REPLY_TIMEOUT_SECONDS))
    return timings


def load(url: str, concurrent: int, texts: List[str], tag: str) -> Dict[str, float]:
    """CONVERSATIONS_PER_LEVEL conversations, `concurrent` of them at a time."""
    conversations = [
        [texts[(i * MESSAGES_PER_CONVERSATION + j) % len(texts)] for j in range(MESSAGES_PER_CONVERSATION)]
        for i in range(max(CONVERSATIONS_PER_LEVEL, concurrent))
    ]
    conversation(url, f"warmup-{tag}-{concurrent}", texts[:5])
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrent) as pool:
        runs = list(pool.map(lambda item: conversation(url, f"bench-{tag}-{concurrent}-{item[0]}", item[1]),
                             enumerate(conversations)))
    elapsed = time.perf_counter() - started
    timings = sorted(t for run in runs for t in run)
    quantiles = statistics.quantiles(timings, n=100)
    answered = [t for t in timings if t < REPLY_TIMEOUT_SECONDS]
    return {"p50": quantiles[49] * 1000, "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000,
            "mps": len(answered) / elapsed, "unanswered": len(timings) - len(answered)}


def measure(name: str, model: Path, env: Dict[str, str], action_url: str, workdir: Path) -> Result:
    result = Result(name)
    port = free_port()
    log = workdir / f"{name}.log"
    served_env = {**env, "ACTION_ENDPOINT_URL": action_url, "TRACKER_DB_URL": f"sqlite:///{workdir / name}.db"}
    started = time.monotonic()
    server = start([sys.executable, "-m", "bot.rasa_command", "run", "--model", str(model), "--endpoints",
                    "endpoints.yml", "--credentials", "credentials.yml", "--port", str(port), "--interface", "127.0.0.1"],
                   served_env, log)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server, log)
        result.ready_seconds = time.monotonic() - started
        texts = [text for text, _ in test_examples()]
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        for concurrent in CONCURRENCY:
            result.latency[concurrent] = load(url, concurrent, texts, name)
        result.rss_mb = resident_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.accuracy = evaluate(str(model))["accuracy"]
    dev = real_questions.evaluate(str(model), {"dev": real_questions.QUESTION_SETS["dev"]}).get("dev")
    if dev:
        result.real_right, result.real_one_tap = dev.rate(dev.right), dev.rate(dev.one_tap)
    return result


def table(results: List[Result]) -> str:
    ours, stock = results[0], results[1]
    rows = [("right answer, real questions (dev set)", lambda r: r.real_right, "{:.1%}", False),
            ("right answer one tap away (dev set)", lambda r: r.real_one_tap, "{:.1%}", False),
            ("intent accuracy (test split)", lambda r: r.accuracy, "{:.1%}", False),
            ("training time, empty cache (s)", lambda r: r.train_seconds, "{:.0f}", True),
            ("start to ready (s)", lambda r: r.ready_seconds, "{:.1f}", True),
            ("resident memory after load (MB)", lambda r: r.rss_mb, "{:.0f}", True)]
    for concurrent in CONCURRENCY:
        for key, label in (("p50", "p50 ms"), ("p95", "p95 ms"), ("p99", "p99 ms"), ("mps", "messages/s"),
                           ("unanswered", f"unanswered in {REPLY_TIMEOUT_SECONDS} s")):
            rows.append((f"{label} @ {concurrent} conversation{'s' if concurrent > 1 else ''}",
                         lambda r, c=concurrent, k=key: r.latency[c][k], "{:.1f}" if key != "unanswered" else "{:.0f}",
                         key != "mps"))
    header = "| measure | " + " | ".join(r.name for r in results) + " | ours vs stock |"
    lines = [header, "|" + "---|" * (len(results) + 2)]
    for label, value, fmt, lower_is_better in rows:
        verdict = comparison(value(ours), value(stock), lower_is_better)
        lines.append(f"| {label} | " + " | ".join(fmt.format(value(r)) for r in results) + f" | {verdict} |")
    return "\n".join(lines)


def comparison(ours: float, stock: float, lower_is_better: bool) -> str:
    if ours == stock:
        return "same"
    if min(ours, stock) <= 0:
        return "better" if (ours < stock) == lower_is_better else "worse"
    ratio = stock / ours if lower_is_better else ours / stock
    return f"{ratio:.2f}x better" if ratio >= 1 else f"{1 / ratio:.2f}x worse"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--with-candidates", action="store_true", help="also measure the configurations we rejected")
    parser.add_argument("--retrain", action="store_true", help="train every configuration again, even if unchanged")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    configs = {**CONFIGS, **(CANDIDATES if args.with_candidates else {})}
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    action_port = free_port()
    env["ACTION_SERVER_TOKEN"] = env.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32)
    actions = start([sys.executable, "-m", "bot.actions.server"], {**env, "ACTION_PORT": str(action_port)},
                    workdir / "actions.log")
    try:
        wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, workdir / "actions.log")
        results = []
        for name, config in configs.items():
            print(f"training {name} ...", flush=True)
            model, seconds = train(name, config, env, args.retrain)
            print(f"measuring {name} ...", flush=True)
            result = measure(name, model, env, f"http://127.0.0.1:{action_port}/webhook", workdir)
            result.train_seconds = seconds
            results.append(result)
    finally:
        actions.terminate()
        actions.wait(timeout=30)
    report = table(results)
    (OUT / "results.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
