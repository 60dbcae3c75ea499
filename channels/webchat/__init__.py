"""The local web chat (local profile only) and its SMS/Telegram preview."""
