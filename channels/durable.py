"""The channels' durable queue (issue 13, item 2): a message is a row (channels/pending.py) before the
webhook answers 200, then goes to its sender's in-memory FIFO (channels/intake.py SenderQueues) for the turn.
A background task renews this server's leases and takes over rows a killed server left behind; a graceful
stop hands this server's unfinished rows on to the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from sanic import Blueprint

from channels import pending
from channels.intake import SenderQueues

log = logging.getLogger(__name__)

E = TypeVar("E")


class DurableQueues(Generic[E]):
    def __init__(
        self,
        channel: str,
        process: Callable[[str, E], Awaitable[None]],
        to_row: Callable[[E], dict[str, Any]],
        from_row: Callable[[dict[str, Any]], E],
    ) -> None:
        self.channel = channel
        self.process = process
        self.to_row, self.from_row = to_row, from_row
        self.queues: SenderQueues[tuple[int, E]] = SenderQueues(self._process)
        self._task: asyncio.Task[None] | None = None

    async def accept(self, external_id: str, sender: str, event: E) -> bool:
        """Store, then queue; False for a redelivery. Raises when the store cannot be written: the webhook
        then answers 5xx and the platform redelivers, so nothing is acknowledged that is not stored."""
        row_id = await asyncio.to_thread(pending.accept, self.channel, external_id, sender, self.to_row(event))
        if row_id is None:
            return False
        self.queues.put(sender, (row_id, event))
        return True

    async def _process(self, sender: str, item: tuple[int, E]) -> None:
        row_id, event = item
        if not await asyncio.to_thread(pending.still_mine, row_id):
            return  # another server took it over (this one stalled past its lease)
        try:
            await self.process(sender, event)
        finally:
            await asyncio.to_thread(pending.done, row_id)

    async def _recover_forever(self) -> None:
        while True:
            try:
                await asyncio.to_thread(pending.heartbeat)
                for row_id, sender, row in await asyncio.to_thread(pending.take_over, self.channel):
                    self.queues.put(sender, (row_id, self.from_row(row)))
            except Exception as err:  # database down: the rows are safe; try again next beat
                log.error("pending messages: recovery pass failed (%s)", type(err).__name__)
            await asyncio.sleep(pending.HEARTBEAT_S)

    def attach(self, bp: Blueprint) -> None:
        @bp.listener("after_server_start")
        async def start(_app: Any, _loop: Any) -> None:
            self._task = asyncio.get_running_loop().create_task(self._recover_forever())

        @bp.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            with contextlib.suppress(Exception):
                await asyncio.to_thread(pending.release)
