"""Measured fixes for Rasa hot spots, installed once per process on the first turn (bot/wiring.py).

`make bench` with py-spy (docs/deploy.md, "Sizing") showed the Rasa server's event loop spending about a third
of its time in jsonschema: Rasa validates every action server response with `jsonschema.validate`, which
checks the (constant) schema itself and builds a new validator each call. `cached_validate` does the same
validation with the schema checked and the validator built once per schema. Errors are the same
`ValidationError`s, so Rasa's handling is unchanged.

The next hot spot, Rasa's tracker store working on the event loop, is bot/rasa_ext/tracker_store.py.
"""

from __future__ import annotations

import json
import threading
from typing import Any

_validators: dict[str, Any] = {}
_lock = threading.Lock()
_installed = False


def cached_validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    from jsonschema import exceptions, validators

    if args or kwargs:  # an unusual call: jsonschema's own path
        return _original_validate(instance, schema, cls, *args, **kwargs)  # type: ignore[no-any-return]  # jsonschema is untyped
    key = json.dumps(schema, sort_keys=True, default=str) + f"|{cls!r}"
    validator = _validators.get(key)
    if validator is None:
        klass = cls or validators.validator_for(schema)
        klass.check_schema(schema)
        validator = klass(schema)
        with _lock:
            _validators[key] = validator
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error
    return None


def _original_validate(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("install() was not called")


def install() -> None:
    """Route `jsonschema.validate` (imported by Rasa inside the function that validates action results)."""
    global _installed, _original_validate
    if _installed:
        return
    import jsonschema

    _original_validate = jsonschema.validate
    jsonschema.validate = cached_validate
    _installed = True
