"""SmsSender: every SMS goes through here (turn replies, health visitor replies, alerts), with twilio's REST
client built on first use, its blocking call run in a thread so the event loop keeps acknowledging webhooks.

Platform facts that drive the code: each SMS segment costs money, so a reply is one body of at most three
segments (channels.render.reply.render_sms); Twilio refuses to send to a number that texted STOP (error 21610), and
so do we before asking it.
"""

from __future__ import annotations

import asyncio
import logging

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.care.outbound import DeliveryError
from bot.settings import Settings, get_settings
from bot.turn.messages import Reply
from channels import store
from channels.render.reply import render_sms

log = logging.getLogger(__name__)

CHANNEL = "sms"
WEBHOOK_PATH = "/webhooks/sms/webhook"
STATUS_PATH = "/webhooks/sms/status"
UNSUBSCRIBED = 21610  # "Attempt to send to unsubscribed recipient": the number texted STOP
# Errors no retry can fix: invalid or unroutable number, landline, region not enabled, blocked by carrier.
PERMANENT_CODES = frozenset({21211, 21212, 21408, 21612, 21614, 30004, 30005, 30006, UNSUBSCRIBED})


def merge(replies: list[Reply]) -> Reply:
    """A turn's replies as one SMS body: each extra message would be another paid SMS. The first reply (the
    emergency route, when there is one) stays at the start."""
    if len(replies) == 1:
        return replies[0]
    return Reply(
        text="\n\n".join(r.text for r in replies if r.text),
        buttons=[b for r in replies for b in r.buttons],
        meta={**replies[0].meta, "merged": len(replies)},
    )


class SmsSender:
    """Registered as bot.care.outbound's "sms" sender by SmsInput.blueprint."""

    def __init__(self, settings: Settings | None = None) -> None:
        self._settings = settings
        self._client: Client | None = None

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    def client(self) -> Client:
        if self._client is None:
            s = self.settings
            if not (s.TWILIO_ACCOUNT_SID and s.TWILIO_AUTH_TOKEN and s.TWILIO_FROM):
                raise DeliveryError("Twilio is not configured (TWILIO_ACCOUNT_SID, _AUTH_TOKEN, _FROM)")
            # twilio logs every request (URL with the account SID, headers) at INFO: a quieter logger of our own.
            quiet = logging.getLogger("channels.sms.sender.twilio")
            quiet.setLevel(logging.WARNING)
            client = Client(
                s.TWILIO_ACCOUNT_SID,
                s.TWILIO_AUTH_TOKEN,
                http_client=TwilioHttpClient(timeout=s.SEND_TIMEOUT_S, logger=quiet),
            )
            # twilio 8.x builds every Api URL from this domain's base_url (twilio/base/domain.py), and leaves
            # it alone when no region or edge is set: the supported way to point it at a fake or a proxy.
            client.api.base_url = s.TWILIO_API_BASE.rstrip("/")
            self._client = client
        return self._client

    def params(self, number: str, body: str) -> dict[str, str]:
        s = self.settings
        params = {"to": number, "body": body, "status_callback": s.PUBLIC_URL.rstrip("/") + STATUS_PATH}
        # A Messaging Service (MG...) picks the sending number itself and applies its opt-out settings.
        if s.TWILIO_FROM.startswith("MG"):
            params["messaging_service_sid"] = s.TWILIO_FROM
        else:
            params["from_"] = s.TWILIO_FROM
        return params

    async def send(self, number: str, reply: Reply) -> None:
        if await asyncio.to_thread(store.is_opted_out, CHANNEL, number):
            raise DeliveryError("the number texted STOP", opted_out=True)
        params = self.params(number, render_sms(reply).body)
        client = self.client()
        try:
            await asyncio.to_thread(client.messages.create, **params)
        except TwilioRestException as err:
            if err.code == UNSUBSCRIBED:
                # Opted out at Twilio (perhaps a STOP we never saw): remember, so we stop asking.
                await asyncio.to_thread(store.opt_out, CHANNEL, number, "twilio-21610")
            # The code and status only: Twilio's message text quotes the number ("The 'To' number +44... is
            # not a valid phone number"), and this reason is logged and stored on the outbox row.
            if err.code in PERMANENT_CODES:
                raise DeliveryError(
                    f"Twilio error {err.code}", permanent=True, opted_out=err.code == UNSUBSCRIBED
                ) from err
            raise DeliveryError(f"Twilio error {err.code} (HTTP {err.status})", permanent=False) from err
        except requests.RequestException as err:  # timeouts and refused connections: may pass
            raise DeliveryError(f"Twilio unreachable: {type(err).__name__}", permanent=False) from err
