"""The outbox worker's own process (`parentbot outbox`; `parentbot run` starts it): staff alerts and health
visitors' replies are delivered whether or not the Rasa server or the staff app is running.

It registers every channel's sender with bot/care/outbound.py (none of them imports Rasa), then runs
OutboxWorker until SIGTERM or SIGINT, letting the current pass finish.
"""

from __future__ import annotations

import asyncio
import signal

from bot.care import outbound
from bot.care.worker import OutboxWorker
from channels.sms.sender import CHANNEL as SMS
from channels.sms.sender import SmsSender
from channels.telegram.sender import CHANNEL as TELEGRAM
from channels.telegram.sender import TelegramSender
from channels.webchat.outbox import send_to_webchat


def register_senders() -> None:
    outbound.register(TELEGRAM, TelegramSender().deliver)
    outbound.register(SMS, SmsSender().send)
    outbound.register("webchat", send_to_webchat)


async def run(worker: OutboxWorker | None = None) -> None:
    register_senders()
    worker = worker or OutboxWorker()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    worker.start()
    print("[parentbot outbox] delivering", flush=True)
    await stopping.wait()
    await worker.stop()


def main() -> int:
    asyncio.run(run())
    return 0
