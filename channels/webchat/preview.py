"""The editor's preview: one answer as SMS parents get it (body, segments, characters, GSM-7 or not) and as
Telegram HTML, read from content/ as it is now, before anyone asks the question.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from bot import paths
from bot.answers.checks import check_answer
from bot.answers.render import answer_text
from bot.answers.runtime import content_store
from bot.turn.messages import Reply
from channels.render.reply import render_sms, render_telegram

# An answer id is "topic/name" in the slugs of bot/answers/loader.py; nothing else reaches the store.
ANSWER_ID = re.compile(r"\A[a-z0-9_]{1,64}/[a-z0-9_]{1,64}\Z")


@lru_cache(maxsize=1)
def _domain() -> dict[str, Any]:
    return dict(yaml.safe_load(paths.DOMAIN.read_text(encoding="utf-8")))


def preview(answer_id: str, today: Any) -> dict[str, Any] | None:
    answer = content_store().get(answer_id)
    if answer is None:
        return None
    sms = render_sms(Reply(text=answer_text(answer, "sms", _domain())))
    return {
        "answer_id": answer.id,
        "version": answer.version,
        "title": answer.title,
        "sms": {
            "body": sms.body,
            "segments": sms.cost.segments,
            "characters": sms.cost.units,
            "encoding": sms.cost.encoding,
        },
        "telegram_html": render_telegram(Reply(text=answer_text(answer, "long", _domain()))),
        "findings": [str(f) for f in check_answer(answer, today)],
    }
