"""`make run`'s supervisor: a process that dies is started again, and its death takes no other process down."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Iterator, Tuple

import pytest

from tests.conftest import MODEL_PATH, PROJECT_ROOT, answers, free_port, wait_for


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tuple[Path, dict]]:
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}: run `make test`, which trains it first.")
    workdir = tmp_path_factory.mktemp("supervised")
    ports = {name: free_port() for name in ("RASA_PORT", "ACTION_PORT", "WIDGET_PORT", "CONSOLE_PORT")}
    env = {**os.environ, **{name: str(port) for name, port in ports.items()},
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports['ACTION_PORT']}/webhook",
           "TRACKER_DB_URL": f"sqlite:///{workdir / 'conversations.db'}", "RUN_DIR": str(workdir / "run"),
           "RESTART_DELAY_SECONDS": "0.5", "CORS_ORIGINS": "http://127.0.0.1"}
    script = subprocess.Popen(["bash", "scripts/run.sh"], cwd=PROJECT_ROOT, env=env, start_new_session=True,
                              stdout=(workdir / "run.log").open("w"), stderr=subprocess.STDOUT)
    urls = {"rasa": f"http://127.0.0.1:{ports['RASA_PORT']}/", "actions": f"http://127.0.0.1:{ports['ACTION_PORT']}/health",
            "widget": f"http://127.0.0.1:{ports['WIDGET_PORT']}/", "console": f"http://127.0.0.1:{ports['CONSOLE_PORT']}/login"}
    try:
        wait_for(lambda: all(answers(url) for url in urls.values()), seconds=180)
        yield workdir / "run", urls
    finally:
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=60)
    # Stopping the script stops everything it started (checked at teardown: a failure here errors the last test).
    wait_for(lambda: not any(answers(url) for url in urls.values()), seconds=30)


def pid(run_dir: Path, name: str) -> int:
    return int((run_dir / f"{name}.pid").read_text())


@pytest.mark.parametrize("name", ["actions", "rasa"])
def test_a_killed_process_comes_back_and_the_others_stay_up(running, name):
    run_dir, urls = running
    before = pid(run_dir, name)
    os.kill(before, signal.SIGKILL)
    others = [url for other, url in urls.items() if other != name]
    wait_for(lambda: (run_dir / f"{name}.pid").exists() and pid(run_dir, name) != before)
    assert all(answers(url) for url in others)
    wait_for(lambda: answers(urls[name]), seconds=180)

