"""Telegram: the input channel and the sender."""
