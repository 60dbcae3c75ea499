"""bot.rasa_ext.lock_store.AtomicRedisLockStore against this machine's Redis: one holder at a time, first come first
served, across two store instances (as two servers). Redis is required: unreachable fails, never skips."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.rasa_ext.lock_store import AtomicRedisLockStore
from tests.support.pg import REDIS_HOST, REDIS_PORT, require_redis


@pytest.fixture
def stores() -> list[AtomicRedisLockStore]:
    require_redis()  # unreachable raises pg_support.ServiceMissing (how to start it): an error, never a skip
    return [AtomicRedisLockStore(host=REDIS_HOST, port=REDIS_PORT, db=1, key_prefix="locktest") for _ in range(2)]


async def test_one_holder_at_a_time_in_ticket_order(stores: list[AtomicRedisLockStore]) -> None:
    conversation = f"c-{uuid.uuid4().hex}"
    holders: list[int] = []
    entered: list[int] = []

    async def turn(i: int) -> None:
        async with stores[i % 2].lock(conversation):
            holders.append(i)
            assert len(holders) == 1, f"two holders at once: {holders}"
            entered.append(i)
            await asyncio.sleep(0.002)
            holders.remove(i)

    await asyncio.gather(*(turn(i) for i in range(20)))
    assert entered == list(range(20))
    assert stores[0].get_lock(conversation) is None  # the last holder cleaned up


def test_expired_tickets_do_not_block(stores: list[AtomicRedisLockStore]) -> None:
    conversation = f"c-{uuid.uuid4().hex}"
    stores[0].issue_ticket(conversation, lock_lifetime=0.01)  # a server that died holding the lock
    ticket = stores[1].issue_ticket(conversation, lock_lifetime=60)
    import time

    time.sleep(0.05)
    lock = stores[1].get_lock(conversation)
    assert lock is not None and not lock.is_locked(ticket)
    stores[1].cleanup(conversation, ticket)
    assert stores[1].get_lock(conversation) is None
