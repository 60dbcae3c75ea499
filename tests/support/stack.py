"""Talking to a running stack from tests and bench: free loopback ports, a parent on the web chat."""

from __future__ import annotations

import socket

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WebChat:
    """A parent on the web chat, through the real HTTP webhook."""

    def __init__(self, base_url: str, sender: str, render: str = "long") -> None:
        self.url = f"{base_url}/webhooks/webchat/webhook"
        self.sender = sender
        self.render = render

    def send(self, text: str) -> list[dict]:
        resp = httpx.post(self.url, json={"sender": self.sender, "message": text, "render": self.render}, timeout=30)
        resp.raise_for_status()
        return list(resp.json()["messages"])
