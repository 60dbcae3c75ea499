"""Parents on Telegram and SMS as the platforms reach us: real payload shapes, posted to the real Rasa web
app, with the secret header (Telegram) or a signature made by twilio's own RequestValidator (SMS)."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

import httpx
from twilio.request_validator import RequestValidator

# What the test stack is configured with (tests/conftest.py's stack_env).
PUBLIC_URL = "https://parentbot.example.test"
STAFF_URL = "https://staff.parentbot.example.test"  # the staff app behind its own TLS proxy
TELEGRAM_SECRET = "test-webhook-secret_0123456789"
TWILIO_FROM = "+447700900000"

_update_ids = itertools.count(int(time.time()) % 1_000_000 * 1000)


class TelegramParent:
    def __init__(self, base_url: str, chat_id: int, secret: str) -> None:
        self.url = f"{base_url}/webhooks/telegram/webhook"
        self.chat_id = chat_id
        self.secret = secret
        self.last_update_id = 0

    def user(self) -> dict[str, Any]:
        return {"id": self.chat_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}

    def chat(self, kind: str = "private") -> dict[str, Any]:
        if kind == "private":
            return {"id": self.chat_id, "type": "private", "first_name": "Sam"}
        return {"id": -abs(self.chat_id), "type": kind, "title": "Baby group"}

    def message(self, chat: str = "private", **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(_update_ids) % 100000,
            "date": int(time.time()),
            "from": self.user(),
            "chat": self.chat(chat),
            **content,
        }

    def post(
        self,
        update: dict[str, Any],
        secret: str | None = None,
        update_id: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        self.last_update_id = update_id if update_id is not None else next(_update_ids)
        body = {"update_id": self.last_update_id, **update}
        sent_headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret if secret is None else secret}
        return httpx.post(self.url, json=body, headers={**sent_headers, **(headers or {})}, timeout=30)

    def text(self, text: str, **kw: Any) -> httpx.Response:
        return self.post({"message": self.message(text=text)}, **kw)

    def edited(self, text: str) -> httpx.Response:
        return self.post({"edited_message": {**self.message(text=text), "edit_date": int(time.time())}})

    def photo(self) -> httpx.Response:
        size = {"file_id": "AgACAgQAAxkBAAIB", "file_unique_id": "AQADx", "width": 90, "height": 90}
        return self.post({"message": self.message(photo=[size])})

    def sticker(self) -> httpx.Response:
        return self.post(
            {
                "message": self.message(
                    sticker={
                        "file_id": "CAACAgIAAxkBAAIC",
                        "file_unique_id": "AgADx",
                        "type": "regular",
                        "width": 512,
                        "height": 512,
                        "is_animated": False,
                        "is_video": False,
                    }
                )
            }
        )

    def voice(self) -> httpx.Response:
        return self.post(
            {"message": self.message(voice={"file_id": "AwACAgQAAxkBAAID", "file_unique_id": "AgADy", "duration": 3})}
        )

    def location(self) -> httpx.Response:
        return self.post({"message": self.message(location={"latitude": 51.5, "longitude": -0.12})})

    def group_text(self, text: str) -> httpx.Response:
        return self.post({"message": self.message(chat="group", text=text)})

    def press(self, data: str, callback_id: str) -> httpx.Response:
        return self.post(
            {
                "callback_query": {
                    "id": callback_id,
                    "from": self.user(),
                    "chat_instance": "42",
                    "data": data,
                    "message": self.message(text="the options"),
                }
            }
        )


class SmsParent:
    def __init__(self, base_url: str, public_url: str, number: str, auth_token: str, account_sid: str, to: str) -> None:
        self.base_url = base_url
        self.public_url = public_url
        self.number = number
        self.auth_token = auth_token
        self.account_sid = account_sid
        self.to = to

    def fields(self, body: str, sid: str, num_media: int = 0) -> dict[str, str]:
        fields = {
            "ToCountry": "GB",
            "ToState": "",
            "SmsMessageSid": sid,
            "NumMedia": str(num_media),
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "GB",
            "To": self.to,
            "ToZip": "",
            "NumSegments": "1",
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": self.number,
            "ApiVersion": "2010-04-01",
        }
        for i in range(num_media):
            fields[f"MediaContentType{i}"] = "image/jpeg"
            fields[f"MediaUrl{i}"] = (
                f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}/Media/ME{i}"
            )
        return fields

    def post(
        self,
        path: str,
        fields: dict[str, str],
        token: str | None = None,
        sign: bool = True,
        signed_url: str | None = None,
    ) -> httpx.Response:
        headers = {}
        if sign:
            url = signed_url or f"{self.public_url}{path}"
            headers["X-Twilio-Signature"] = RequestValidator(token or self.auth_token).compute_signature(url, fields)
        return httpx.post(f"{self.base_url}{path}", data=fields, headers=headers, timeout=30)

    def send(self, body: str, sid: str | None = None, num_media: int = 0, **kw: Any) -> httpx.Response:
        self.last_sid = sid or f"SM{uuid.uuid4().hex}"
        return self.post("/webhooks/sms/webhook", self.fields(body, self.last_sid, num_media), **kw)

    def status(self, message_sid: str, state: str, error_code: str | None = None) -> httpx.Response:
        fields = {
            "MessageSid": message_sid,
            "MessageStatus": state,
            "To": self.number,
            "From": self.to,
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "SmsSid": message_sid,
            "SmsStatus": state,
        }
        if error_code:
            fields["ErrorCode"] = error_code
        return self.post("/webhooks/sms/status", fields)
