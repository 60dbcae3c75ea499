"""rasa_sdk custom actions, one module per feature; `python -m bot.actions.server` (server.py) serves them."""

from bot.actions.answer import ActionAnswer
from bot.actions.escalate import ActionEscalate, ActionRequestPerson

__all__ = ["ActionAnswer", "ActionEscalate", "ActionRequestPerson"]
