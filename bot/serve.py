"""Starting and stopping the assistant's processes: action server, Rasa server, staff app, outbox worker.

Each role is its own process (docs/architecture.md): parents' replies need only the first two, staff alerts
only the outbox worker, so stopping one role never silences another.

`parentbot run` (the embedded default of `make run`), the test session and `make bench` all use this, so they
run the stack the same way. Ctrl-C stops every process it started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import paths
from bot.settings import get_settings

BIN = Path(sys.executable).parent


def action_endpoint(url: str, token: str = "") -> dict[str, object]:
    """endpoints.yml's action_endpoint for `url`, carrying the action server's token when there is one (the
    production file reads it from the environment itself)."""
    endpoint: dict[str, object] = {"url": url}
    if token:
        endpoint["headers"] = {"Authorization": f"Bearer {token}"}
    return endpoint


@dataclass
class Stack:
    rasa_port: int = 5005
    action_port: int = 5055
    staff_port: int = 5006
    host: str = "127.0.0.1"
    model: Path = paths.MODEL
    credentials: Path = paths.CREDENTIALS
    endpoints: Path | None = None  # default: endpoints.yml with this stack's action port
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    # False for a second Rasa server sharing another stack's action server (the production profile's test).
    actions: bool = True
    rasa: bool = True
    staff: bool = True
    outbox: bool = True
    # Each server leads a process group of its own (the tests stop and kill one role at a time), or, under
    # `parentbot run`, stays in ours: a signal to our group (a container runtime's SIGTERM, then its SIGKILL
    # once the grace period is over) then reaches every server, even if we are killed first.
    own_groups: bool = True
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    roles: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def staff_url(self) -> str:
        return f"http://{self.host}:{self.staff_port}"

    def _endpoints(self) -> Path:
        if self.endpoints is not None:
            return self.endpoints
        config = yaml.safe_load(paths.ENDPOINTS.read_text(encoding="utf-8"))
        config["action_endpoint"] = action_endpoint(
            f"http://{self.host}:{self.action_port}/webhook",
            self.env.get("ACTION_SERVER_TOKEN", get_settings().ACTION_SERVER_TOKEN),
        )
        fd, name = tempfile.mkstemp(prefix="endpoints-", suffix=".yml")
        with os.fdopen(fd, "w") as fh:
            yaml.safe_dump(config, fh)
        return Path(name)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", **self.env}
        out = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        proc = subprocess.Popen(
            args,
            cwd=paths.ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            start_new_session=self.own_groups,
        )
        self.processes.append(proc)
        return proc

    def start(self) -> Stack:
        (paths.ROOT / "var").mkdir(exist_ok=True)
        endpoints = self.endpoints = self._endpoints()
        # Data rights (bot/privacy/forget.py) delete from the tracker store this server uses: tell every process.
        self.env = {"ENDPOINTS_FILE": str(endpoints), **self.env}
        for role in ("actions", "rasa", "staff", "outbox"):
            if getattr(self, role):
                self.start_role(role)
        return self

    def command(self, role: str) -> list[str]:
        cli = [sys.executable, "-m", "bot.cli"]
        if role == "actions":
            # Our wrapper of rasa_sdk's app: loopback by default and the shared token (bot/actions/server.py).
            return [sys.executable, "-m", "bot.actions.server", "--host", self.host, "--port", str(self.action_port)]
        if role == "rasa":
            return [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(self.model),
                "--credentials",
                str(self.credentials),
                "--endpoints",
                str(self._endpoints()),
                "-i",
                self.host,
                "--port",
                str(self.rasa_port),
            ]
        if role == "staff":
            return [*cli, "staff", "serve", "--host", self.host, "--port", str(self.staff_port)]
        return [*cli, "outbox"]

    def start_role(self, role: str) -> subprocess.Popen[bytes]:
        name = f"rasa-{self.rasa_port}" if role == "rasa" else role
        proc = self._spawn(name, self.command(role))
        self.roles[role] = proc
        return proc

    def stop_role(self, role: str) -> None:
        """Stop one role's process (the stack tests: one role down, the others carry on)."""
        proc = self.roles.pop(role)
        self._stop([proc])
        self.processes.remove(proc)

    def wait_ready(self, timeout_s: float = 180.0) -> float:
        """Seconds until both servers answer; raises if a process dies or time runs out."""
        started = time.monotonic()
        checks = [
            url
            for role, url in (
                ("actions", f"http://{self.host}:{self.action_port}/health"),
                ("rasa", f"{self.url}/webhooks/health/"),
                ("staff", f"{self.staff_url}/health"),
            )
            if role in self.roles
        ]
        while checks:
            for proc in self.processes:
                if proc.poll() is not None:
                    args = proc.args if isinstance(proc.args, list) else [proc.args]
                    raise RuntimeError(f"{args[1:3]!r} exited with {proc.returncode} during start-up")
            try:
                with urllib.request.urlopen(checks[0], timeout=2) as resp:
                    if resp.status == 200:
                        checks.pop(0)
                        continue
            except OSError:
                pass
            if time.monotonic() - started > timeout_s:
                raise TimeoutError(f"not ready after {timeout_s:.0f} s: {checks[0]}")
            time.sleep(0.5)
        return time.monotonic() - started

    def stop(self) -> None:
        self._stop(self.processes)
        self.processes.clear()
        self.roles.clear()

    def _signal(self, proc: subprocess.Popen[bytes], sig: int) -> None:
        # Gone between the poll and the signal: nothing left to stop, and the others still must be.
        with contextlib.suppress(ProcessLookupError):
            if self.own_groups:
                os.killpg(proc.pid, sig)  # the server and anything it started
            else:
                proc.send_signal(sig)

    def _stop(self, processes: list[subprocess.Popen[bytes]]) -> None:
        for proc in processes:
            if proc.poll() is None:
                self._signal(proc, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait()


def run_forever(stack: Stack | None = None) -> int:
    """`parentbot run`: start the stack, print the web chat address, stop everything on Ctrl-C or SIGTERM.

    A container runtime (or `kill -TERM -<pgid>`) signals the whole process group, often more than once, and
    sends SIGKILL when its grace period is over. The servers stay in our process group (`own_groups=False`),
    so every signal to it reaches each of them even if we are killed first (in groups of their own they
    outlived a SIGKILL to ours, holding their ports: issue 13, item 12). The first signal starts our shutdown
    and later ones are ignored until it is done (a second SIGTERM cut it short, before any SIGKILL of a server
    that would not stop), and a signal during start-up stops what had started."""

    def interrupt(signum: int, _frame: object) -> None:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # one shutdown, not interrupted by the next signal
        raise KeyboardInterrupt

    # Ctrl-C, and also a service manager's SIGTERM or a closed terminal, stop every process we started.
    # SIGINT is set explicitly: a shell that starts us in the background leaves it ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupt)
    stack = stack or Stack()
    stack.own_groups = False
    try:
        print(
            "[parentbot run] starting the action server, the Rasa server (the model takes ~20 s to load), the "
            "staff app and the outbox worker",
            flush=True,
        )
        stack.start()
        seconds = stack.wait_ready()
        print(
            f"\n[parentbot run] ready in {seconds:.0f} s. Open the web chat: {stack.url}/webhooks/webchat/\n"
            f"[parentbot run] staff inbox: {stack.staff_url}/inbox/\n"
            "[parentbot run] Ctrl-C stops everything.",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes):
            time.sleep(1)
        print("[parentbot run] a server stopped; shutting down", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n[parentbot run] stopping", flush=True)
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # a signal after a normal exit must not cut the stop short either
        stack.stop()
