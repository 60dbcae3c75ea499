"""Every Rasa internal that bot/rasa_ext/ copies, overrides or patches, pinned to the text of Rasa 3.6.21.

The version pin in requirements.lock keeps Rasa from moving under us, but a lock upgrade would pass every
behaviour test that does not happen to exercise the changed path. Here each internal's source is fingerprinted
(SHA-256 of `inspect.getsource`, first 16 hex digits, recorded from rasa 3.6.21): when Rasa changes one, this
test names the function and the module of ours whose assumption must be re-read, before anything else.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

import pytest

# (Rasa object, fingerprint in 3.6.21, our module, what it relies on)
INTERNALS = [
    (
        "rasa.core.tracker_store:SQLTrackerStore.save",
        "57165e46eab3de08",
        "bot/rasa_ext/tracker_store.py",
        "_save_rows copies its body (minus the event broker and the row count)",
    ),
    (
        "rasa.core.tracker_store:SQLTrackerStore._retrieve",
        "c8adbf6f4b61ddd1",
        "bot/rasa_ext/tracker_store.py",
        "one event per stored row of the latest session, and no await inside (driven by _run_to_end)",
    ),
    (
        "rasa.core.tracker_store:SQLTrackerStore._additional_events",
        "d22f99eb863acb07",
        "bot/rasa_ext/tracker_store.py",
        "counts the stored rows to find the new events; replaced by the STORED mark",
    ),
    (
        "rasa.core.tracker_store:SQLTrackerStore.keys",
        "a9ae29732f2e3e6a",
        "bot/rasa_ext/tracker_store.py",
        "awaits nothing, so it can run to its end in a worker thread",
    ),
    (
        "rasa.core.tracker_store:TrackerStore.create_tracker",
        "72f79c53bf4f3f96",
        "bot/rasa_ext/tracker_store.py",
        "create_tracker is re-written with the mark set before the save",
    ),
    (
        "rasa.core.actions.action:RemoteAction._validate_action_result",
        "f8cdb4be68123961",
        "bot/rasa_ext/perf.py",
        "imports jsonschema.validate inside the function at each call, so the patched one is used",
    ),
    (
        "rasa.core.lock_store:LockStore.lock",
        "8b9b716c031a3444",
        "bot/rasa_ext/lock_store.py",
        "the ticket protocol (issue_ticket, _acquire_lock, cleanup) the atomic store implements",
    ),
    (
        "rasa.core.lock_store:LockStore._acquire_lock",
        "ead2fff373291c24",
        "bot/rasa_ext/lock_store.py",
        "overridden to poll faster; same TicketLock semantics",
    ),
    (
        "rasa.core.lock:TicketLock",
        "2cd46225330fb0ca",
        "bot/rasa_ext/lock_store.py",
        "the lock objects built from the Redis sorted set",
    ),
    (
        "rasa.core.channels.channel:OutputChannel.send_response",
        "dfa5294a87fcab23",
        "bot/rasa_ext/assistant.py",
        "dispatches text, buttons and custom payloads to the send_* methods the collector overrides",
    ),
]


def fingerprint(name: str) -> str:
    module, qualname = name.split(":")
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


@pytest.mark.parametrize(("name", "expected", "ours", "reliance"), INTERNALS, ids=[i[0] for i in INTERNALS])
def test_the_rasa_internal_is_the_one_our_module_was_written_against(
    name: str, expected: str, ours: str, reliance: str
) -> None:
    assert fingerprint(name) == expected, f"Rasa changed {name}: re-read {ours} ({reliance})"


def test_a_changed_internal_is_caught() -> None:
    # The guard itself: a different object's source does not match a recorded fingerprint.
    assert fingerprint("rasa.core.tracker_store:SQLTrackerStore.keys") != "57165e46eab3de08"
