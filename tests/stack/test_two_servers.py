"""The production profile across two Rasa servers: one family's messages alternate between them.

Two `rasa run` processes (and one action server) share a fresh PostgreSQL database (tracker store and the
project's tables, migrated by Alembic) and Redis (bot.rasa_ext.lock_store.AtomicRedisLockStore), configured by
endpoints.production.yml itself. No turn may be lost, none may be out of order in the tracker, and a risk
message sent to both servers at once must make exactly one escalation.

PostgreSQL and Redis are required (`.ci/run` starts them): if either is unreachable this test fails, it never
skips.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import paths
from tests.support.pg import PG_HOST, PG_PORT, Databases, fresh_databases
from tests.support.stack import free_port

QUESTIONS = [
    "can i have a glass of wine while breastfeeding",
    "when do babies get their first teeth",
    "what jabs does my baby get at 8 weeks",
    "is it safe to share a bed with my baby",
    "how much toothpaste should i use for my toddler",
    "how often should a newborn feed",
]
CONCURRENT = [
    ("how do i sterilise bottles", "when should my baby first see a dentist"),
    ("what is the mmr jab", "should my baby have a dummy at night"),
    ("how do i make up a formula feed", "how do i brush my babys teeth"),
]
RISK = "my baby stopped breathing for a few seconds just now and went a bit grey"


@pytest.fixture(scope="module")
def databases() -> Iterator[Databases]:
    # Unreachable PostgreSQL or Redis raises pg_support.ServiceMissing (how to start it): an error, never a skip.
    with fresh_databases() as dbs:
        yield dbs


@pytest.fixture(scope="module")
def two_servers(
    trained_model: Path, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    from bot.serve import Stack
    from bot.storage.db import upgrade

    upgrade(databases.url(databases.project))  # production schema comes from the migrations, not create_all
    work = tmp_path_factory.mktemp("two-servers")
    action_port = free_port()
    env = {**databases.production_env(action_port), "PSEUDONYM_KEY": "test-key"}
    endpoints = paths.ROOT / "endpoints.production.yml"
    first = Stack(
        rasa_port=free_port(),
        action_port=action_port,
        staff_port=free_port(),
        model=trained_model,
        endpoints=endpoints,
        env=env,
        log_dir=work / "logs",
    )
    # The second server shares the first's action server and staff app; its outbox worker competes for rows.
    second = Stack(
        rasa_port=free_port(),
        action_port=action_port,
        model=trained_model,
        endpoints=endpoints,
        env=env,
        log_dir=work / "logs",
        actions=False,
        staff=False,
    )
    try:
        first.start()
        second.start()
        first.wait_ready(timeout_s=300)
        second.wait_ready(timeout_s=300)
        yield first.url, second.url
    except Exception:
        for log in sorted((work / "logs").glob("*.log")):
            print(f"---- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        second.stop()
        first.stop()


def say(url: str, family: httpx.Client, text: str) -> list[dict[str, Any]]:
    """One message from the family's browser session (its cookie goes to either server, as to one site)."""
    resp = family.post(f"{url}/webhooks/webchat/webhook", json={"message": text}, timeout=60)
    resp.raise_for_status()
    return list(resp.json()["messages"])


def session_sender(url: str, family: httpx.Client) -> str:
    """The family's conversation id: the session's first reply says it."""
    resp = family.post(f"{url}/webhooks/webchat/webhook", json={"message": "hello"}, timeout=60)
    resp.raise_for_status()
    return str(resp.json()["sender"])


def tracker_events(databases: Databases, sender: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    import psycopg2

    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=databases.user, dbname=databases.tracker)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT type_name, action_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
            return [(t, a, json.loads(d)) for t, a, d in cur.fetchall()]
    finally:
        conn.close()


def escalation_count(databases: Databases, sender: str) -> int:
    from sqlalchemy import create_engine, func, select

    from bot.storage.models.escalation import Escalation

    engine = create_engine(databases.url(databases.project), future=True)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(Escalation).where(Escalation.sender_id == sender)
                ).scalar_one()
            )
    finally:
        engine.dispose()


def test_one_family_across_two_servers(two_servers: tuple[str, str], databases: Databases) -> None:
    servers = list(two_servers)
    family = httpx.Client()
    sender = session_sender(servers[1], family)

    # 1. Alternate: each message to the other server than the last.
    for i, text in enumerate(QUESTIONS):
        replies = say(servers[i % 2], family, text)
        assert replies, f"no reply to {text!r} on server {i % 2}"
        assert all(r["meta"].get("kind") != "safe_default" for r in replies), (text, replies)

    # 2. The same family on both servers at the same moment: the lock store must serialise the two turns.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for a, b in CONCURRENT:
            got = list(pool.map(lambda job: say(*job), [(servers[0], family, a), (servers[1], family, b)]))
            assert all(got), f"a concurrent turn got no reply: {got}"

    # 3. A risk message arriving at both servers at once: both answer with the emergency route, one escalation.
    with ThreadPoolExecutor(max_workers=2) as pool:
        risk_replies = list(pool.map(lambda url: say(url, family, RISK), servers))
    for replies in risk_replies:
        assert replies[0]["meta"]["kind"] == "risk", replies
    assert escalation_count(databases, sender) == 1

    # The tracker in PostgreSQL: every turn once, in order, none interleaved with another.
    # Rasa's sender id is the conversation key, channel:id (bot/turn/keys.py).
    events = tracker_events(databases, f"webchat:{sender}")
    said = [e[2].get("text") for e in events if e[0] == "user"]
    assert said[0] == "hello"  # the message that opened the session
    sequential = [t for t in said if t in QUESTIONS]
    assert sequential == QUESTIONS, f"lost or reordered turns: {said}"
    for a, b in CONCURRENT:
        assert said.count(a) == 1 and said.count(b) == 1, f"a concurrent turn is missing or doubled: {said}"
    assert len(said) == 1 + len(QUESTIONS) + 2 * len(CONCURRENT)  # risk messages never reach Rasa
    in_turn = False
    for type_name, action, _ in events:
        if type_name == "user":
            assert not in_turn, "two turns interleaved in the tracker (the lock did not hold)"
            in_turn = True
        elif type_name == "action" and action == "action_listen":
            in_turn = False
