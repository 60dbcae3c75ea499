"""Issue 13, item 12: a stop signal to the whole process group of `parentbot run` (what `make run` runs, and
what a container runtime signals, often more than once) stops every server it started and frees every port.

On the old main every server ran in a process group of its own, so a signal to `parentbot run`'s group
reached only it: a SIGKILL after the runtime's grace period left the Rasa server and the others running on
their ports; and a second SIGTERM during the shutdown cut it short (a KeyboardInterrupt out of the wait, exit
-2), before the SIGKILL of a server that would not stop. A corrupt model keeps this fast: the Rasa server still
starts and listens (its health check says unhealthy: tests/stack/test_production_profile.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bot import paths
from tests.support.stack import free_port

PARENTBOT = Path(sys.executable).parent / "parentbot"


def listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def port_free(port: int) -> bool:
    """A new server could listen here: as servers do, SO_REUSEADDR (our own probes leave TIME_WAIT behind)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (from /proc: children, and theirs)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_twice_to_the_process_group_stops_every_server_and_frees_every_port(tmp_path: Path) -> None:
    bad = tmp_path / "broken.tar.gz"
    bad.write_text("not a model")
    ports = {"rasa": free_port(), "action": free_port(), "staff": free_port()}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'parentbot.db'}",
        "PSEUDONYM_KEY": "test-key",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    args = [str(PARENTBOT), "run", "--model", str(bad)] + [f"--{role}-port={port}" for role, port in ports.items()]
    with open(tmp_path / "run.log", "wb") as log:
        run = subprocess.Popen(
            args, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 180
        while not all(listening(p) for p in ports.values()):
            assert run.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, f"not listening after 180 s: {ports}"
            time.sleep(0.5)
        children = descendants(run.pid)
        assert len(children) >= 4  # action server, Rasa server, staff app, outbox worker
        # Every server is in the group: the runtime's signals (its SIGKILL too) reach each one even if
        # `parentbot run` is killed first.
        assert {pid: os.getpgid(pid) for pid in children} == {pid: run.pid for pid in children}

        os.killpg(run.pid, signal.SIGTERM)  # the runtime stops the group ...
        time.sleep(0.5)
        os.killpg(run.pid, signal.SIGTERM)  # ... and signals it again while it is stopping
        assert run.wait(timeout=30) == 0  # a whole shutdown, not one cut short by the second signal

        deadline = time.monotonic() + 20
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in children if alive(pid)] == []
        assert {role: port_free(port) for role, port in ports.items()} == {"rasa": True, "action": True, "staff": True}
    finally:  # leave nothing behind whatever failed: each server leads a process group of its own
        for pid in [run.pid, *children]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        run.wait()
