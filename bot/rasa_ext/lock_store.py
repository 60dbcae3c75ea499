"""AtomicRedisLockStore: Rasa's per-conversation ticket lock, kept in Redis with atomic operations.

Rasa's own RedisLockStore reads the lock, changes it in Python and writes it back (RasaHQ/rasa#9213): two
servers taking a ticket for the same parent at the same moment can both read "nobody waiting", both write,
and both go on to process the conversation at once (a lost or duplicated turn in the tracker store). Here each
ticket operation is one Lua script, which Redis runs atomically:

- `lock:<conversation>` is a sorted set of ticket numbers (score: expiry, unix seconds);
- `lock:<conversation>:next` is the counter the ticket numbers come from (INCR).

The ticket-lock semantics are Rasa's (first come, first served; expired tickets are dropped), so a server
waiting for its turn sees the same `TicketLock` objects Rasa's processor expects. Waiters poll every
`POLL_S` (Rasa's default is a whole second, which would dominate a turn's latency under contention).

Use it in endpoints (endpoints.production.yml):

    lock_store:
      type: bot.rasa_ext.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

POLL_S = 0.01
KEY_PREFIX = "lock:"
# Keys outlive the longest ticket by this margin, so the counter never restarts under a live ticket.
KEY_MARGIN_S = 60

# KEYS: tickets, counter. ARGV: now, lifetime. Returns the new ticket number.
ISSUE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local n = redis.call('INCR', KEYS[2])
local expires = tonumber(ARGV[1]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expires, n)
local ttl = math.ceil((tonumber(ARGV[2]) + tonumber(ARGV[3])) * 1000)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return n
"""

# KEYS: tickets. ARGV: now, ticket number ('' for none). Returns how many tickets remain.
FINISH = """
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('DEL', KEYS[1]) end
return left
"""


class AtomicRedisLockStore(LockStore):
    """Built by Rasa from the `lock_store` section of endpoints
    (`type: bot.rasa_ext.lock_store.AtomicRedisLockStore`)."""

    def __init__(
        self,
        endpoint_config: Any = None,
        *,
        host: str = "localhost",
        port: int = 6379,
        db: int = 1,
        password: str | None = None,
        key_prefix: str | None = None,
        socket_timeout: float = 10.0,
        use_ssl: bool = False,
    ) -> None:
        import redis  # only when a production profile uses it

        if endpoint_config is not None:
            kwargs = dict(endpoint_config.kwargs)
            host = endpoint_config.url or host
            port = int(kwargs.get("port", port))
            db = int(kwargs.get("db", db))
            password = kwargs.get("password") or password
            key_prefix = kwargs.get("key_prefix", key_prefix)
            use_ssl = bool(kwargs.get("use_ssl", use_ssl))
            socket_timeout = float(kwargs.get("socket_timeout", socket_timeout))
        self.red = redis.StrictRedis(
            host=host, port=int(port), db=int(db), password=password or None, ssl=use_ssl, socket_timeout=socket_timeout
        )
        self.key_prefix = f"{key_prefix}:{KEY_PREFIX}" if key_prefix and key_prefix.isalnum() else KEY_PREFIX
        self._issue = self.red.register_script(ISSUE)
        self._finish = self.red.register_script(FINISH)
        super().__init__()

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    # --- the atomic operations ---
    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        key = self._key(conversation_id)
        try:
            return int(self._issue(keys=[key, key + ":next"], args=[time.time(), lock_lifetime, KEY_MARGIN_S]))
        except Exception as err:  # Rasa's contract: any failure here is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{err}") from err

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(keys=[self._key(conversation_id)], args=[time.time(), ticket_number])

    def update_lock(self, conversation_id: str) -> None:
        self._finish(keys=[self._key(conversation_id)], args=[time.time(), ""])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # One script removes the ticket and deletes the key when nobody waits (Rasa does this in three steps).
        self.finish_serving(conversation_id, ticket_number)

    # --- reads, and Rasa's LockStore interface ---
    def get_lock(self, conversation_id: str) -> TicketLock | None:
        now = time.time()
        pairs = self.red.zrange(self._key(conversation_id), 0, -1, withscores=True)
        tickets = sorted(
            (Ticket(int(member), float(score)) for member, score in pairs if float(score) > now), key=lambda t: t.number
        )
        return TicketLock(conversation_id, deque(tickets)) if tickets else None

    def delete_lock(self, conversation_id: str) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(self._key(conversation_id))))

    def save_lock(self, lock: TicketLock) -> None:
        """Replaces the whole lock in one transaction (Rasa's generic code paths; ours never call it)."""
        key = self._key(lock.conversation_id)
        pipe = self.red.pipeline(transaction=True)
        pipe.delete(key)
        if lock.tickets:
            pipe.zadd(key, {str(t.number): t.expires for t in lock.tickets})
        pipe.execute()

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = POLL_S
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, POLL_S))
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None:
                break  # our own ticket expired
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
