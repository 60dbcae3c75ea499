"""The declarative base every table of ours registers on (bot/storage/models/), apart from the engine code."""

from __future__ import annotations

from sqlalchemy.orm import declarative_base

Base = declarative_base()
