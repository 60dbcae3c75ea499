"""Reply templates (content/replies/): the shipped ones pass the gate in picker order; each fault is named."""

from __future__ import annotations

from pathlib import Path

from bot import paths
from bot.answers.replies import ReplyTemplate, Templates, check_reply, load_replies


def reply(text: str, title: str = "A title") -> ReplyTemplate:
    return ReplyTemplate("t", title, text, "content/replies/t.yml", lines={"title": 2, "text": 3})


def test_the_shipped_templates_load_in_order_and_pass() -> None:
    replies, errors = load_replies(paths.CONTENT)
    assert errors == []
    assert [r.title for r in replies] == [
        "I'll ring you in the next hour",
        "Please call 999 now",
        "Please ring your GP or NHS 111",
        "Can you tell me how old your baby is?",
        "Is it safe for me to ring you?",
    ]
    assert replies[3].text == "Thank you for your message. Can you tell me how old your baby is, in weeks or months?"
    assert [f for r in replies for f in check_reply(r)] == []


def test_a_placeholder_left_is_refused_naming_the_field() -> None:
    [finding] = check_reply(reply("Hello, this is [name]. I will ring you at {time}."))
    assert str(finding) == (
        "error: content/replies/t.yml:3: text: placeholder left: [name] {time} (a template may be sent as it is)"
    )
    assert [f.field for f in check_reply(reply("Call you soon.", title="Ring back at XX"))] == ["title"]


def test_too_long_non_gsm_and_hard_words_are_refused() -> None:
    four = check_reply(reply("Please ring your GP surgery today. " * 14))  # 490 characters
    assert [f.message for f in four] == ["4 SMS segments (490 characters, GSM-7), at most 3 allowed"]
    [emoji] = check_reply(reply("I will ring you soon \U0001f600"))
    assert emoji.message == "characters outside GSM-7 (each makes the SMS cost more): \U0001f600"
    hard_words = "Comprehensive multidisciplinary safeguarding considerations necessitate immediate consultation."
    [hard] = check_reply(reply(hard_words))
    assert hard.field == "text" and hard.message.startswith("reading grade ")


def test_the_inbox_leaves_out_a_template_the_gate_refuses(tmp_path: Path) -> None:
    (tmp_path / "replies").mkdir()
    (tmp_path / "replies" / "good.yml").write_text("title: Ring soon\ntext: I will ring you soon.\n")
    (tmp_path / "replies" / "bad.yml").write_text("title: Ring at\ntext: I will ring you at [time].\n")
    live = Templates(tmp_path)
    assert [r.id for r in live.all()] == ["good"]
    assert live.get("bad") is None and live.get("good") is not None
