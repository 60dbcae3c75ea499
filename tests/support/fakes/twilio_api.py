"""A fake Twilio REST API: POST /2010-04-01/Accounts/{sid}/Messages.json, answering like Twilio (201 and the
message resource) and recording what it got. Errors carry Twilio's codes (21610 unsubscribed, 20429 too many
requests, 20500 internal error), so twilio's client raises TwilioRestException as in production.
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import re
from typing import Any

from tests.support.fakes.http import Call, FakeServer, Fault

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"
PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC\w+)/Messages\.json$")


def error(status: int, code: int, message: str) -> Fault:
    return Fault(
        status,
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}", "status": status},
    )


def unsubscribed() -> Fault:
    return error(400, 21610, "Attempt to send to unsubscribed recipient")


def server_error() -> Fault:
    return error(500, 20500, "Internal Server Error")


def slow(delay_s: float) -> Fault:
    """Answers only after delay_s: longer than the client's timeout, it is a timeout."""
    return Fault(201, {}, delay_s=delay_s)


def too_many() -> Fault:
    return error(429, 20429, "Too Many Requests")


class FakeTwilio(FakeServer):
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._ids = itertools.count(1)

    def route(self, path: str) -> str | None:
        return "Messages" if PATH.match(path) else None

    def target(self, call: Call) -> str | None:
        value = call.params.get("To")
        return None if value is None else str(value)

    def bodies(self, number: str) -> list[str]:
        return [str(c.params["Body"]) for c in self.recorded("Messages", number, ok_only=True)]

    def answer(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}":
            return 401, {
                "code": 20003,
                "message": "Authenticate",
                "more_info": "https://www.twilio.com/docs/errors/20003",
                "status": 401,
            }
        if (
            not params.get("To")
            or not params.get("Body")
            or not (params.get("From") or params.get("MessagingServiceSid"))
        ):
            return 400, {
                "code": 21604,
                "message": "A 'To' phone number is required.",
                "status": 400,
                "more_info": "https://www.twilio.com/docs/errors/21604",
            }
        sid = f"SM{next(self._ids):032x}"
        now = email.utils.formatdate(usegmt=True)
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        return 201, {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": params["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": params.get("From"),
            "messaging_service_sid": params.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "GBP",
            "sid": sid,
            "status": "queued" if params.get("From") else "accepted",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": params["To"],
            "uri": uri,
        }
