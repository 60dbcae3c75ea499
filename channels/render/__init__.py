"""Rendering a Reply per channel: SMS (GSM-7 segments) and Telegram HTML."""
