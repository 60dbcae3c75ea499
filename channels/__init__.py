"""Rasa input/output channels (web chat, Telegram, SMS) and what they share: the turn pipeline, rendering."""
