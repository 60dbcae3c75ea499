"""bot/rasa_ext/train.py and logs.py call rasa.api.train, Agent and Rasa's logging set-up by keyword: these fail
if a Rasa upgrade renames what they pass."""

from __future__ import annotations

import inspect
import logging

from rasa.api import train
from rasa.core.agent import Agent

from bot.rasa_ext.logs import quiet_rasa


def test_train_takes_the_keywords_we_pass() -> None:
    params = inspect.signature(train).parameters
    for name in ("domain", "config", "training_files", "output", "fixed_model_name", "force_training"):
        assert name in params, name


def test_agent_loads_a_path_and_parses_text() -> None:
    assert "model_path" in inspect.signature(Agent.load).parameters
    parse = inspect.unwrap(Agent.parse_message)  # under Rasa's agent_must_be_ready decorator
    assert inspect.iscoroutinefunction(parse)
    assert list(inspect.signature(parse).parameters) == ["self", "message_data"]


def test_quiet_rasa_sets_rasas_logger_level() -> None:
    quiet_rasa(logging.WARNING)
    assert logging.getLogger("rasa").level == logging.WARNING
    quiet_rasa(logging.INFO)
    assert logging.getLogger("rasa").level == logging.INFO
