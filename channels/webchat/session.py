"""The web chat's session (issue 13, item 3): the server issues it, the browser keeps it in a cookie.

The page used to name its own sender id in the JSON it posted, so a post naming a parent's phone number (or a
leaked web chat id) reached that conversation. Now the sender id comes only from a server-issued secret
(`secrets.token_urlsafe`) in an HttpOnly, SameSite=Strict cookie: not in any URL (no access log holds it), not
readable by the page's script, not sent by other sites. The conversation's sender id is a hash of the secret,
so the id stored with escalations and shown in the inbox cannot be replayed as a cookie; a "sender" in the
posted JSON or the URL is ignored. A well-formed secret the server did not issue names only a conversation
of its own (reaching another needs that one's 256-bit secret).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sanic.request import Request
from sanic.response import HTTPResponse

COOKIE = "parentbot_webchat"
PATH = "/webhooks/webchat"
MAX_AGE_S = 24 * 3600  # a test page's conversation; a new day starts a new one
TOKEN_BYTES = 32
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # what token_urlsafe(32) gives; anything else is replaced


def sender_of(token: str) -> str:
    """The conversation's sender id for a session secret (one-way: the id does not give the secret)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:32]


def session(request: Request) -> tuple[str, str | None]:
    """(sender id, new secret to set, or None when the request already carries a well-formed one)."""
    token = request.cookies.get(COOKIE) or ""
    if TOKEN.fullmatch(token):
        return sender_of(token), None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return sender_of(token), token


def keep(resp: HTTPResponse, request: Request, token: str | None) -> HTTPResponse:
    """Set a newly issued secret on the response (nothing when the request's own is still in use)."""
    if token is not None:
        resp.cookies[COOKIE] = token
        cookie = resp.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = PATH
        cookie["max-age"] = MAX_AGE_S
        # `make run` serves http://localhost, where a Secure cookie would not come back; behind TLS it is Secure.
        cookie["secure"] = request.scheme == "https"
    return resp
