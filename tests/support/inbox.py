"""Logging in to the staff inbox of a running stack, as a new user of a role (the test's database must be the
stack's: tests/support/escalation.py use_db)."""

from __future__ import annotations

import re
import uuid

import httpx

from bot.care import staff

PASSWORD = "a long enough password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def log_in(client: httpx.Client, role: str) -> None:
    """A new user of `role`, logged in on `client` (base URL: the stack's /inbox)."""
    username = f"{role[:2]}-{uuid.uuid4().hex[:8]}"
    staff.add_user(username, PASSWORD, role)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    assert client.post("/login", data={"csrf": token, "username": username, "password": PASSWORD}).status_code == 303
