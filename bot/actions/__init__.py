"""rasa_sdk custom actions, one module per feature; `rasa run actions --actions bot.actions` loads them."""

from bot.actions.answer import ActionAnswer
from bot.actions.escalate import ActionEscalate, ActionRequestPerson

__all__ = ["ActionAnswer", "ActionEscalate", "ActionRequestPerson"]
