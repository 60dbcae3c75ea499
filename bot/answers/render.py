"""An answer as text for one rendering: the SMS body, or the long body with title, sources and review dates.

The templates are domain responses (utter_answer_sms, utter_answer_long), so the wording around an answer is
copy in domain.yml, not Python. Used by the answer action and by the web chat's preview.
"""

from __future__ import annotations

from typing import Any

from bot.answers.model import Answer


def template(domain: dict[str, Any], name: str) -> str:
    variants = (domain.get("responses") or {}).get(name) or [{"text": ""}]
    return str(variants[0].get("text") or "")


def answer_text(answer: Answer, mode: str, domain: dict[str, Any], lang: str | None = None) -> str:
    """With `lang` (the family's language), the answer's translation into it when it has one."""
    publishers = ", ".join(dict.fromkeys(s.publisher for s in answer.sources))
    if mode == "sms":
        return template(domain, "utter_answer_sms").format(
            sms=answer.text("sms", lang)[0], publishers=publishers, checked=answer.last_reviewed.strftime("%m/%Y")
        )
    sources = "; ".join(f"[{s.publisher}]({s.url})" for s in answer.sources)
    return template(domain, "utter_answer_long").format(
        title=answer.title,
        body=answer.text("body", lang)[0],
        sources=sources,
        last_reviewed=answer.last_reviewed.isoformat(),
        review_due=answer.review_due.isoformat(),
    )
