"""Shared fixtures. The model is trained once per test session (by `make test`'s build step, or here if it
is missing); the running stack (action server + Rasa server) is started once per session on free ports.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import paths
from tests.support.fakes.telegram_api import FakeTelegram
from tests.support.fakes.twilio_api import FakeTwilio
from tests.support.fakes.webhooks import PUBLIC_URL, STAFF_URL, TELEGRAM_SECRET, TWILIO_FROM
from tests.support.stack import PRODUCTION_ALERT_CHAT, WebChat, free_port

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Content review dates are read as of this fixed day, in this process and in every server the tests start,
# so the suite does not start failing when answers reach their review dates (bot/clock.py).
os.environ["CONTENT_DATE"] = "2026-12-01"


@pytest.fixture(autouse=True)
def _no_running_tracker_store() -> Iterator[None]:
    """A test that builds our Rasa tracker store registers it as this process's (bot/storage/trackerdb.py), as
    the Rasa server does: forget it afterwards, so the next test's ENDPOINTS_FILE is the store it reads."""
    yield
    from bot.storage import trackerdb

    trackerdb.use_running_store(None)


# First: before `-m` deselects by these marks, and before pytest-xdist's worker reads xdist_group (its hook is
# registered after this file's, so it would otherwise run first and see no group).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the trained answer model (directly or through the running stack) is marked
    `model`: `make test` runs the others while the model trains, then these (Makefile).

    The model tests run on two pytest-xdist workers (`--dist loadgroup`): each module's tests stay on one
    worker, so a module's own stack starts once, and every user of the shared production stack is in one
    group, so that stack starts once too. Each worker starts its own session `stack` (it has its own temporary
    directory, database and fake APIs). Under xdist the longest groups go first (the Makefile passes
    --no-loadscope-reorder, which keeps this order), so neither worker is left with a long one at the end."""
    groups: dict[str, str] = {}
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "trained_model" in fixtures:
            item.add_marker(pytest.mark.model)
            group = "production_stack" if "production_stack" in fixtures else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))
            groups[item.nodeid] = group
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a stable sort: within a group, and for the rest, the order is kept
        rank = {group: n for n, group in enumerate(LONGEST_GROUPS)}
        items.sort(key=lambda item: rank.get(groups.get(item.nodeid, ""), len(LONGEST_GROUPS)))


# The model phase's longest groups, longest first (measured with --durations, 2026-12-03: each starts servers of
# its own; the production stack's modules about 85 s, the others 20-45 s). Every other group is shorter.
LONGEST_GROUPS = (
    "production_stack",
    "tests/stack/test_two_servers.py",
    "tests/stack/test_flood.py",
    "tests/unit/training/test_evaluate.py",
    "tests/stack/test_private_logs.py",
)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not paths.MODEL.exists():
        from bot.training.build import build

        build()
    return paths.MODEL


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack")


@pytest.fixture(scope="session")
def live_content(session_dir: Path) -> Path:
    """A copy of content/ that tests may edit (hot reload) without touching the repository."""
    target = session_dir / "content"
    shutil.copytree(paths.CONTENT, target)
    return target


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    """The fake Telegram Bot API the stack's Telegram channel talks to (tests/support/fakes/telegram_api.py)."""
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    """The fake Twilio REST API the stack's SMS channel talks to (tests/support/fakes/twilio_api.py)."""
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack_env(
    session_dir: Path, live_content: Path, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio
) -> dict[str, str]:
    return {
        "CONTENT_DIR": str(live_content),
        "DATABASE_URL": f"sqlite:///{session_dir / 'parentbot.db'}",
        "PSEUDONYM_KEY": "test-key",
        # The channels sign and send against these: a public https URL (the app itself is on http://127.0.0.1,
        # as behind a TLS proxy) and the fake APIs.
        "PUBLIC_URL": PUBLIC_URL,
        "STAFF_URL": STAFF_URL,
        "TELEGRAM_API_BASE": fake_telegram.url,
        "TELEGRAM_BOT_TOKEN": fake_telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TWILIO_API_BASE": fake_twilio.url,
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM": TWILIO_FROM,
        "SEND_TIMEOUT_S": "5",
        # The channel tests count the replies to a first message, so this stack runs without the first-contact
        # notice; the notice is tested through the real pipeline hooks in tests/unit/privacy/test_first_contact.py.
        "PRIVACY_NOTICE": "false",
    }


@pytest.fixture(scope="session")
def stack(trained_model: Path, session_dir: Path, stack_env: dict[str, str]) -> Iterator[object]:
    """The real servers: the action server and `rasa run` with our channels, as `make run` starts them."""
    import yaml

    from bot.serve import Stack

    action_port = free_port()
    endpoints = yaml.safe_load(paths.ENDPOINTS.read_text())
    endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{action_port}/webhook"
    endpoints["tracker_store"]["db"] = str(session_dir / "tracker.db")
    endpoints_file = session_dir / "endpoints.yml"
    endpoints_file.write_text(yaml.safe_dump(endpoints))
    running = Stack(
        rasa_port=free_port(),
        action_port=action_port,
        staff_port=free_port(),
        model=trained_model,
        endpoints=endpoints_file,
        env=stack_env,
        log_dir=session_dir / "logs",
    )
    running.start()
    try:
        # The model loads in 15-30 s on an idle 2-core machine; a shared, busy one has taken over 3 minutes.
        running.wait_ready(timeout_s=420)
        yield running
    except Exception:
        for log in sorted((session_dir / "logs").glob("*.log")):
            print(f"---- {log.name}\n{log.read_text()[-4000:]}")
        raise
    finally:
        running.stop()


@pytest.fixture
def webchat(stack: object, request: pytest.FixtureRequest) -> WebChat:
    return WebChat(stack.url)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def production_stack(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory, stack_env: dict[str, str]
) -> Iterator[object]:
    """The production profile (SMS, Telegram, health; the action server behind its token) with the action and
    Rasa servers and the outbox worker, on its own database, paging PRODUCTION_ALERT_CHAT: started once for the
    modules that need it (the action server's checks, the blocked family's alerts, the SIGKILL of the Rasa
    server after a 200), since a Rasa start is about 20 s of a 15-minute `make test`. Each test uses senders of
    its own (new numbers and chat ids) and reads only their rows."""
    from tests.support.stack import own_stack

    env = {**stack_env, "ALERT_TELEGRAM_CHAT_ID": PRODUCTION_ALERT_CHAT}
    stack = own_stack(tmp_path_factory.mktemp("production"), trained_model, env, staff=False)
    try:
        stack.wait_ready(timeout_s=420)
        yield stack
    finally:
        stack.stop()
