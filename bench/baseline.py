"""The baseline of `make bench`: Rasa's default `rasa init` pipeline trained on our content, on its REST channel.

Its config is the very file `rasa init` copies (rasa/cli/initial_project/config.yml: pipeline and policies
left empty, so Rasa fills in its defaults: DIET, ResponseSelector, TED, Memoization and Rule policies); running
`rasa init` itself would first train the moodbot for a minute and then have its data replaced. The data is
ours: every intent of bot/data/generated/answers.yml (answers and risk categories) with its examples, one
response per intent (the answer's long text, the risk category's reply) and one rule per intent. The model is
cached under .build/baseline/, keyed by a hash of those inputs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from bot import paths

RASA = Path(sys.executable).parent / "rasa"
HOME = paths.BUILD / "baseline"


def init_config() -> Path:
    import rasa.cli

    return Path(rasa.cli.__file__).parent / "initial_project" / "config.yml"


def project_files() -> dict[str, str]:
    """File name -> text of the baseline project (config, domain, data)."""
    from bot.answers.store import ContentStore
    from bot.risk.screening import risk_screen

    nlu = yaml.safe_load((paths.GENERATED / "answers.yml").read_text(encoding="utf-8"))["nlu"]
    intents = [block["intent"] for block in nlu]
    store = ContentStore(paths.CONTENT)
    responses: dict[str, list[dict[str, str]]] = {}
    for intent in intents:
        if intent.startswith("risk__"):
            text = risk_screen().category(intent.removeprefix("risk__")).reply
        else:
            answer = store.get(intent.replace("__", "/", 1))
            text = answer.body if answer else intent
        responses[f"utter_{intent}"] = [{"text": text}]
    domain = {
        "version": "3.1",
        "intents": intents,
        "responses": responses,
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }
    rules = [{"rule": intent, "steps": [{"intent": intent}, {"action": f"utter_{intent}"}]} for intent in intents]
    dump = yaml.safe_dump
    return {
        "config.yml": init_config().read_text(encoding="utf-8"),
        "domain.yml": dump(domain, allow_unicode=True, sort_keys=False),
        "data/nlu.yml": dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False),
        "data/rules.yml": dump({"version": "3.1", "rules": rules}, allow_unicode=True, sort_keys=False),
        "credentials.yml": "rest:\n",
    }


def ensure_model(log: Path) -> tuple[Path, Path, float | None]:
    """(project dir, model, training seconds or None when cached)."""
    files = project_files()
    # Keyed on what training reads, not on the answers' wording: a wording edit does not cost a retraining.
    keyed = {k: v for k, v in files.items() if k in ("config.yml", "data/nlu.yml", "data/rules.yml")}
    digest = hashlib.sha256("\0".join(f"{k}\0{v}" for k, v in sorted(keyed.items())).encode()).hexdigest()[:16]
    project = HOME / digest
    model = project / "models" / "baseline.tar.gz"
    if model.exists():
        return project, model, None
    shutil.rmtree(project, ignore_errors=True)
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    started = time.monotonic()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    with open(log, "ab") as out:
        done = subprocess.run(
            [
                str(RASA),
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--data",
                "data",
                "--out",
                "models",
                "--fixed-model-name",
                "baseline",
            ],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1800,
        )
    if done.returncode != 0 or not model.exists():
        raise RuntimeError(f"baseline training failed (exit {done.returncode}); see {log}")
    return project, model, time.monotonic() - started


def serve(project: Path, model: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = open(log, "ab")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(
        [
            str(RASA),
            "run",
            "--enable-api",
            "--model",
            str(model),
            "--credentials",
            "credentials.yml",
            "-i",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=project,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_ready(proc: subprocess.Popen, url: str, timeout_s: float = 300) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if proc.poll() is not None:
            raise RuntimeError(f"baseline server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/status", timeout=2) as resp:
                if resp.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError("baseline server not ready")
