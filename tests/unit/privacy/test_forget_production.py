"""Issue 13, item 5: "delete my data" and retention act on the tracker store the servers really use, the
production profile's PostgreSQL, and fail loudly (nothing said to be deleted) when it cannot be reached.

Rasa's own tracker store class writes the conversations into a fresh PostgreSQL database; the tests count the
rows of its `events` table before and after. PostgreSQL is required (`.ci/run` starts it): never a skip.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.paths import ROOT
from bot.privacy import rights, themes
from bot.privacy.forget import retention
from bot.storage import trackerdb
from bot.storage.db import transaction
from bot.storage.models.themes import ThemeEvent
from tests.support.escalation import use_temp_db
from tests.support.pg import PG_HOST, PG_PORT, Databases, fresh_databases
from tests.support.stack import free_port

PHONE = "+447700900555"
OTHER = "+447700900666"
# Rasa's sender ids are our conversation keys, channel:id (issue 13, item 3).
KEY, OTHER_KEY = "sms:+447700900555", "sms:+447700900666"
T0 = dt.datetime(2026, 11, 30, 12, 0)


@pytest.fixture(scope="module")
def databases() -> Iterator[Databases]:
    with fresh_databases("parentbot_forget", need_redis=False) as dbs:
        yield dbs


def tracker_env(dbs: Databases, port: int = PG_PORT) -> dict[str, str]:
    # What endpoints.production.yml reads (tests/support/pg.py), for a tracker store on `port`; the project's
    # own tables stay on the test's SQLite file.
    env = {**dbs.production_env(free_port()), "TRACKER_DB_PORT": str(port)}
    del env["DATABASE_URL"]
    return env


def rasa_store(dbs: Databases) -> object:
    """Rasa's SQL tracker store on PostgreSQL, as endpoints.production.yml builds it in the Rasa server."""
    from bot.rasa_ext.tracker_store import ThreadedSQLTrackerStore

    return ThreadedSQLTrackerStore(dialect="postgresql", host=PG_HOST, port=PG_PORT, db=dbs.tracker, username=dbs.user)


def save_conversation(store: object, sender: str, texts: list[str], at: dt.datetime = T0) -> None:
    from rasa.shared.core.events import UserUttered

    tracker = store.init_tracker(sender)  # type: ignore[attr-defined]
    for i, text in enumerate(texts):
        tracker.update(UserUttered(text, timestamp=at.replace(tzinfo=dt.timezone.utc).timestamp() + i))
    asyncio.run(store.save(tracker))  # type: ignore[attr-defined]


def pg_events(dbs: Databases, sender: str) -> int:
    import psycopg2

    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=dbs.user, dbname=dbs.tracker)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))
            return int(cur.fetchone()[0])
    finally:
        conn.close()


def theme_rows(sender: str) -> int:
    fid = themes.family_id("sms", sender)
    with transaction() as s:
        return int(s.scalar(select(func.count()).select_from(ThemeEvent).where(ThemeEvent.family_id == fid)) or 0)


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, databases: Databases) -> Databases:
    """`parentbot` as an operator runs it on a production server: PROFILE=production, the tracker store's
    settings in the environment, no ENDPOINTS_FILE."""
    monkeypatch.delenv("ENDPOINTS_FILE", raising=False)
    use_temp_db(monkeypatch, tmp_path, PROFILE="production", **tracker_env(databases))
    trackerdb.use_running_store(None)
    return databases


def test_forget_command_on_the_production_profile_deletes_the_conversation_from_postgresql(
    production: Databases,
) -> None:
    store = rasa_store(production)
    trackerdb.use_running_store(None)  # this process is the CLI, not a Rasa server
    save_conversation(store, KEY, ["how often should my baby feed", "thanks"])
    save_conversation(store, OTHER_KEY, ["when do teeth come"])
    assert (pg_events(production, KEY), pg_events(production, OTHER_KEY)) == (2, 1)

    assert main(["forget", "--phone", "07700 900555"]) == 0

    assert (pg_events(production, KEY), pg_events(production, OTHER_KEY)) == (0, 1)


def test_retention_on_the_production_profile_deletes_old_events_from_postgresql(production: Databases) -> None:
    store = rasa_store(production)
    trackerdb.use_running_store(None)
    old, recent = "sms:+447700900701", "sms:+447700900702"
    save_conversation(store, old, ["a", "b", "c"], at=T0 - dt.timedelta(days=400))
    save_conversation(store, recent, ["d"], at=T0 - dt.timedelta(days=10))
    retention(now=T0, days=365)
    assert (pg_events(production, old), pg_events(production, recent)) == (0, 1)


def test_delete_my_data_in_the_rasa_server_uses_the_store_it_runs_with(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, databases: Databases
) -> None:
    # The Rasa server started as docs/deploy.md says (rasa run --endpoints endpoints.production.yml): no
    # ENDPOINTS_FILE, no PROFILE in its settings, so only the store it built knows where conversations are.
    use_temp_db(monkeypatch, tmp_path, ENDPOINTS_FILE=str(ROOT / "endpoints.yml"), PROFILE="local")
    store = rasa_store(databases)  # built by Rasa at start-up
    save_conversation(store, KEY, ["hello", "delete my data", "YES"])
    assert pg_events(databases, KEY) == 3

    assert rights.data_request("sms", PHONE, "delete my data", now=T0) == "confirm"
    assert rights.data_request("sms", PHONE, "YES", now=T0 + dt.timedelta(minutes=1)) == "forgotten"

    assert pg_events(databases, KEY) == 0


def test_an_unreachable_tracker_store_fails_loudly_and_deletes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, databases: Databases, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ENDPOINTS_FILE", raising=False)
    use_temp_db(monkeypatch, tmp_path, PROFILE="production", **tracker_env(databases, port=free_port()))
    trackerdb.use_running_store(None)
    themes.record_turn("sms", PHONE, "hi", [{"kind": "answer", "answer_id": "a/b", "topic": "a"}], T0)

    assert main(["forget", "--phone", PHONE]) == 1
    assert "parentbot forget: NOT done, nothing was deleted: cannot reach the tracker store" in capsys.readouterr().err
    assert main(["retention"]) == 1

    # The parent is not told it is gone: they are asked to try again, and their data is all still there.
    assert rights.data_request("sms", PHONE, "delete my data", now=T0) == "confirm"
    assert rights.data_request("sms", PHONE, "yes", now=T0 + dt.timedelta(minutes=1)) == "failed"
    assert theme_rows(PHONE) == 1


def test_a_missing_sqlite_tracker_store_is_an_error_not_nothing_to_delete(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'absent.db'}\n")
    use_temp_db(monkeypatch, tmp_path, ENDPOINTS_FILE=str(endpoints))
    trackerdb.use_running_store(None)
    with pytest.raises(trackerdb.TrackerStoreUnavailable, match="a SQLite file that does not exist"):
        trackerdb.delete_conversation("sms", PHONE)
