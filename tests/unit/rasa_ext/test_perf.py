"""bot/rasa_ext/perf.py relies on Rasa importing `jsonschema.validate` inside the function that validates an
action server's response, at call time. These fail if a Rasa upgrade changes that."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.rasa_ext import perf


@pytest.fixture(autouse=True)
def installed() -> None:
    perf.install()


def test_rasa_validates_action_responses_through_the_cached_validator() -> None:
    perf._validators.clear()
    action = RemoteAction("action_answer", None)
    assert action._validate_action_result({"events": [], "responses": []}) is True
    assert len(perf._validators) == 1, "Rasa no longer calls jsonschema.validate at call time"
    assert action._validate_action_result({"events": [], "responses": []}) is True
    assert len(perf._validators) == 1, "the validator should be built once per schema"


def test_an_invalid_response_is_rejected_with_rasas_own_message() -> None:
    action = RemoteAction("action_answer", None)
    with pytest.raises(jsonschema.ValidationError) as caught:
        action._validate_action_result({"events": "not a list"})
    assert "Failed to validate Action server response" in caught.value.message


def test_errors_are_those_jsonschema_itself_raises() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    with pytest.raises(jsonschema.ValidationError) as cached:
        perf.cached_validate({"n": "three"}, schema)
    assert cached.value.message == "'three' is not of type 'integer'"
    assert perf.cached_validate({"n": 3}, schema) is None
