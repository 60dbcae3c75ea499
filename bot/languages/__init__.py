"""The parent's own language: detection, red-flag word lists per language, and replies in that language."""
