"""Shared fixtures: the running assistant (action server + Rasa server on free loopback ports)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import pytest
import requests
import yaml

from bot.clinic.profile import DEFAULT_PROFILE_PATH
from tests.fake_twilio import FakeTwilio
from tests.intake_server import IntakeServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = Path(os.environ.get("MODEL_PATH", PROJECT_ROOT / "models" / "assistant.tar.gz"))
START_TIMEOUT_SECONDS = 240
INTAKE_SECRET = "end-to-end-signing-secret-42"
ACTION_SERVER_TOKEN = "test-action-server-token"
TWILIO_AUTH_TOKEN = "test-twilio-auth-token"
SMS_CONVERSATION_KEY = "test-sms-conversation-key"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited while starting:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {START_TIMEOUT_SECONDS}s:\n{log.read_text()[-3000:]}")


class Assistant:
    """Talks to the running assistant over the REST channel, as the web widget does."""

    def __init__(self, base_url: str, database: Path, intake: IntakeServer, page_url: str, twilio: FakeTwilio) -> None:
        self.base_url = base_url
        self.database = database
        self.intake = intake
        self.page_url = page_url
        self.twilio = twilio
        self.sms_webhook_url = f"{base_url}/webhooks/twilio/webhook"

    def send(self, sender: str, text: str) -> List[Dict]:
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        assert response.status_code == 200, response.text[:500]
        return response.json()

    def reply_text(self, sender: str, text: str) -> str:
        return "\n".join(message.get("text", "") for message in self.send(sender, text))


def stored_events(database: Path, sender: str, type_name: str) -> List[Dict]:
    """A conversation's events of one type as the tracker store keeps them, oldest first."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = ? ORDER BY id", (sender, type_name)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def start(command: List[str], env: Dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


@pytest.fixture(scope="session")
def intake_server() -> Iterator[IntakeServer]:
    server = IntakeServer(free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    server = FakeTwilio(free_port()).start()
    yield server
    server.stop()


@contextmanager
def running_assistant(
    workdir: Path, intake_server: IntakeServer, fake_twilio: FakeTwilio, with_action_server: bool = True
) -> Iterator[Assistant]:
    """The bundled clinic profile with its intake form at the local intake server, and SMS through a fake Twilio.

    Without the action server, Rasa's action endpoint points at a loopback port nobody listens on.
    """
    if not MODEL_PATH.exists():
        pytest.fail(f"No trained model at {MODEL_PATH}: run `make test`, which trains it first.")
    rasa_port, action_port, page_port = free_port(), free_port(), free_port()
    database = workdir / "conversations.db"
    profile = yaml.safe_load(DEFAULT_PROFILE_PATH.read_text())
    profile["intake_form_url"] = intake_server.url
    (workdir / "profile.yml").write_text(yaml.safe_dump(profile))
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "ACTION_PORT": str(action_port),
        "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
        "TRACKER_DB_URL": f"sqlite:///{database}",
        "CLINIC_PROFILE": str(workdir / "profile.yml"),
        "INTAKE_SIGNING_SECRET": INTAKE_SECRET,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
        "TWILIO_NUMBER": "+17025550100",
        "TWILIO_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/twilio/webhook",
        "SMS_CONVERSATION_KEY": SMS_CONVERSATION_KEY,
        "TWILIO_API_BASE": fake_twilio.url,
    }
    action_log, rasa_log, page_log = workdir / "actions.log", workdir / "rasa.log", workdir / "page.log"
    page_origin = f"http://127.0.0.1:{page_port}"
    actions = [start([sys.executable, "-m", "bot.actions.server"], env, action_log)] if with_action_server else []
    rasa = start(
        [sys.executable, "-m", "bot.rasa_command", "run", "--model", str(MODEL_PATH), "--endpoints", "endpoints.yml",
         "--credentials", "credentials.yml", "--port", str(rasa_port), "--interface", "127.0.0.1", "--cors", page_origin],
        env, rasa_log,
    )
    page = start_widget_server(page_port, f"http://127.0.0.1:{rasa_port}", env, page_log)
    try:
        for action_server in actions:
            wait_until_up(f"http://127.0.0.1:{action_port}/health", action_server, action_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        wait_until_up(page_origin, page, page_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", database, intake_server, page_origin, fake_twilio)
    finally:
        stop(rasa, *actions, page)


@pytest.fixture(scope="session")
def assistant(
    tmp_path_factory: pytest.TempPathFactory, intake_server: IntakeServer, fake_twilio: FakeTwilio
) -> Iterator[Assistant]:
    with running_assistant(tmp_path_factory.mktemp("assistant"), intake_server, fake_twilio) as running:
        yield running


@pytest.fixture(scope="module")
def assistant_without_actions(
    tmp_path_factory: pytest.TempPathFactory, intake_server: IntakeServer, fake_twilio: FakeTwilio
) -> Iterator[Assistant]:
    """The Rasa server alone, as during an outage of the action server."""
    with running_assistant(tmp_path_factory.mktemp("no-actions"), intake_server, fake_twilio,
                           with_action_server=False) as running:
        yield running


class Console:
    """The staff console on a free port, reading the running assistant's database."""

    ADMIN, REVIEWER, PASSWORD = "ana.admin", "rita.reviewer", "correct horse battery staple"

    def __init__(self, url: str, env: Dict[str, str]) -> None:
        self.url = url
        self.env = env

    def add_user(self, username: str, role: str, password: str = PASSWORD) -> None:
        subprocess.run([sys.executable, "-m", "bot.console.accounts", "add", username, "--role", role],
                       env={**self.env, "CONSOLE_NEW_PASSWORD": password}, cwd=PROJECT_ROOT, check=True,
                       capture_output=True)


def answers(url: str) -> bool:
    """Whether a server answers at this URL without a server error."""
    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.RequestException:
        return False


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    """Polls until the condition holds, or fails the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def non_loopback_address() -> str:
    """This machine's address on its outgoing interface, to show a server is not listening there."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent; this only picks the interface
        return probe.getsockname()[0]


def start_console(database: Path, workdir: Path, idle_minutes: float = 15) -> Tuple[subprocess.Popen, Console]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TRACKER_DB_URL": f"sqlite:///{database}",
           "CONSOLE_PORT": str(port), "CONSOLE_IDLE_MINUTES": str(idle_minutes)}
    log = workdir / f"console-{port}.log"
    process = start([sys.executable, "-m", "bot.console.server"], env, log)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/login", process, log)
    return process, Console(url, env)


@pytest.fixture(scope="session")
def console(assistant: Assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """An admin and a reviewer exist; the assistant's conversations are there to review."""
    process, running = start_console(assistant.database, tmp_path_factory.mktemp("console"))
    running.add_user(Console.ADMIN, "admin")
    running.add_user(Console.REVIEWER, "reviewer")
    try:
        yield running
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright, per module: its event loop must be gone before tests that run their own."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (scripts/install_test_tools.sh installs Debian's package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def start_widget_server(port: int, assistant_url: str, env: Dict[str, str], log: Path) -> subprocess.Popen:
    page_env = {**env, "WIDGET_PORT": str(port), "ASSISTANT_PUBLIC_URL": assistant_url}
    return start([sys.executable, "-m", "bot.widget.server"], page_env, log)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def postgres_bin() -> Optional[Path]:
    for directory in (Path("/usr/local/bin"), *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)):
        if all((directory / tool).exists() for tool in ("postgres", "initdb", "pg_ctl")):
            return directory
    return None


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster on a free loopback port; as root, it runs as the postgres system user."""
    bin_directory = postgres_bin()
    if bin_directory is None:
        pytest.skip("PostgreSQL is not installed (no postgres/initdb/pg_ctl in /usr/local/bin or /usr/lib/postgresql)")
    as_user: List[str] = []
    cluster_root = tmp_path
    if os.geteuid() == 0:
        if shutil.which("runuser") is None or subprocess.run(["id", "postgres"], capture_output=True).returncode:
            pytest.skip("running as root, and there is no postgres system user to run PostgreSQL as")
        as_user = ["runuser", "-u", "postgres", "--"]
        # tmp_path sits under a root-only directory, which the postgres user cannot enter.
        cluster_root = Path(tempfile.mkdtemp(prefix="pg-"))
        shutil.chown(cluster_root, "postgres")
    data, port = cluster_root / "data", free_port()

    def run(*command: str) -> None:
        subprocess.run(as_user + list(command), check=True, capture_output=True, timeout=120)

    try:
        run(str(bin_directory / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync")
        run(str(bin_directory / "pg_ctl"), "-D", str(data), "-l", str(cluster_root / "postgres.log"), "-w", "-t",
            "60", "start", "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {cluster_root} -c fsync=off")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bin_directory / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        if cluster_root != tmp_path:
            shutil.rmtree(cluster_root, ignore_errors=True)
