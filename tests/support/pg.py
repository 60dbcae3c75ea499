"""Fresh PostgreSQL databases (and the Redis check) on this machine's servers (stack.md): for the scale-out tests and
`BENCH_PROFILE=production make bench`. Created per run and dropped afterwards, so runs never share state."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


class ServiceMissing(RuntimeError):
    """PostgreSQL or Redis is not reachable; the message says how to start it."""


def pg_admin() -> Any:
    """A superuser connection to the `postgres` database."""
    import psycopg2

    errors = []
    for user in ("postgres", "root"):
        try:
            conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=user, dbname="postgres", connect_timeout=5)
            conn.autocommit = True
            return conn
        except psycopg2.OperationalError as err:
            errors.append(f"{user}: {str(err).strip()}")
    raise ServiceMissing(
        f"PostgreSQL is not reachable on {PG_HOST}:{PG_PORT} ({'; '.join(errors)}). Run "
        "`bash .ci/run`, or start it with `pg_ctlcluster --skip-systemctl-redirect "
        "$(ls /etc/postgresql) main start`."
    )


def require_redis() -> None:
    import redis

    try:
        redis.StrictRedis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3).ping()
    except redis.RedisError as err:
        raise ServiceMissing(
            f"Redis is not reachable on {REDIS_HOST}:{REDIS_PORT} ({err}). Run `bash .ci/run`, "
            "or `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''`."
        ) from None


@dataclass
class Databases:
    user: str
    project: str
    tracker: str

    def url(self, name: str) -> str:
        return f"postgresql+psycopg2://{self.user}@{PG_HOST}:{PG_PORT}/{name}"

    def production_env(self, action_port: int) -> dict[str, str]:
        """The environment endpoints.production.yml and bot/settings.py read, for these databases."""
        return {
            "DATABASE_URL": self.url(self.project),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            # endpoints.production.yml sends it on every call; the action server started with it requires it.
            "ACTION_SERVER_TOKEN": "test-action-server-token_pg",
            "TRACKER_DB_HOST": PG_HOST,
            "TRACKER_DB_PORT": str(PG_PORT),
            "TRACKER_DB_NAME": self.tracker,
            "TRACKER_DB_USER": self.user,
            "TRACKER_DB_PASSWORD": "",
            "REDIS_HOST": REDIS_HOST,
            "REDIS_PORT": str(REDIS_PORT),
            "REDIS_DB": "1",
            "REDIS_PASSWORD": "",
        }


@contextmanager
def fresh_databases(prefix: str = "parentbot_t", need_redis: bool = True) -> Iterator[Databases]:
    """A project and a tracker database (and Redis checked), dropped on the way out."""
    admin = pg_admin()
    if need_redis:
        require_redis()
    base = f"{prefix}{uuid.uuid4().hex[:10]}"
    dbs = Databases(user=admin.get_dsn_parameters()["user"], project=base, tracker=f"{base}_tracker")
    with admin.cursor() as cur:
        for name in (dbs.project, dbs.tracker):
            cur.execute(f'CREATE DATABASE "{name}"')  # a generated identifier, not input
    try:
        yield dbs
    finally:
        with admin.cursor() as cur:
            for name in (dbs.project, dbs.tracker):
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
