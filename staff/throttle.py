"""Sign-in throttling (issue 13, item 7): failed sign-ins counted per client address and per account with
the `limits` library (moving windows, the storage of RATE_LIMIT_STORAGE: memory, or Redis shared by several
staff apps), and a lockout, kept in the database, when one account fails too often.

- An address with 20 failed sign-ins in 15 minutes gets 429 for every sign-in (right password or not)
  until its window has room: a script guessing many accounts from one place.
- An account with 5 failed sign-ins in 15 minutes is locked for 15 minutes (staff_users.locked_until) and
  the duty contacts are alerted once (bot/care/alerts.py): a guess at one person's password, from anywhere.
  An unknown username is held the same way (so the answer does not say which usernames exist), without a
  lock or an alert.
Only failures count: a health visitor signing in many times a day is never held.
"""

from __future__ import annotations

from functools import lru_cache

from limits import RateLimitItemPerMinute
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.settings import get_settings

WINDOW_MINUTES = 15
ADDRESS_FAILURES = 20
ACCOUNT_FAILURES = 5
LOCK_MINUTES = 15


class Throttle:
    def __init__(self, storage_uri: str = "memory://") -> None:
        self.per_address = RateLimitItemPerMinute(ADDRESS_FAILURES, WINDOW_MINUTES)
        self.per_account = RateLimitItemPerMinute(ACCOUNT_FAILURES, WINDOW_MINUTES)
        # The strategy keeps only a weak reference to its storage: this object holds the strong one.
        self._storage: Storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(self._storage)

    def address_held(self, address: str) -> bool:
        return not self._limiter.test(self.per_address, "staff-login-address", address)

    def account_held(self, username: str) -> bool:
        return not self._limiter.test(self.per_account, "staff-login-account", username.lower())

    def failed(self, address: str, username: str) -> bool:
        """Count one failure; True when it used up the account's allowance (lock it now)."""
        self._limiter.hit(self.per_address, "staff-login-address", address)
        self._limiter.hit(self.per_account, "staff-login-account", username.lower())
        return self.account_held(username)


@lru_cache(maxsize=1)
def throttle() -> Throttle:
    """One per staff app process (built on first sign-in, not at import)."""
    return Throttle(get_settings().RATE_LIMIT_STORAGE)
