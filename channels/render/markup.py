"""The small Markdown subset that answers use, rendered as Telegram HTML (also used by the web chat).

Telegram's HTML mode accepts only a few tags and rejects a message with a stray "<", so everything is escaped
first and only our own tags are added.
"""

from __future__ import annotations

import html
import re

LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])[*_](?![*\s])(.+?)(?<![*\s])[*_](?![*\w])")
BULLET = re.compile(r"^\s*[-+*]\s+")


def to_telegram_html(markdown: str) -> str:
    lines = []
    for line in markdown.splitlines():
        line = BULLET.sub("\u2022 ", line)
        lines.append(line)
    text = html.escape("\n".join(lines), quote=False)
    # The text is escaped already (& is &amp;), so the URL only needs its quotes escaped for the attribute.
    text = LINK.sub(lambda m: f'<a href="{m.group(2).replace(chr(34), "&quot;")}">{m.group(1)}</a>', text)
    text = BOLD.sub(r"<b>\1</b>", text)
    text = ITALIC.sub(r"<i>\1</i>", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def to_plain(markdown: str) -> str:
    """For SMS: links as 'text (url)', no emphasis marks, bullets as hyphens."""
    text = LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    text = BOLD.sub(r"\1", text)
    text = "\n".join(BULLET.sub("- ", line) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
