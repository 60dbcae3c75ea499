from bot.answers.gsm import sms_cost
from bot.turn.messages import Reply
from channels.render.reply import render_sms, render_telegram


def test_sms_buttons_become_one_numbered_body() -> None:
    reply = Reply(text="Did you mean one of these?", buttons=[{"title": "Feeding", "payload": "/x"},
                                                               {"title": "Sleep", "payload": "/y"}])
    body = render_sms(reply).body
    assert body.splitlines()[1:] == ["1. Feeding", "2. Sleep"]


def test_sms_long_markdown_is_plain_gsm_and_capped() -> None:
    reply = Reply(text="**Title**\n\n- point \u201cone\u201d\n- [NHS](https://www.nhs.uk/)\n\n" + "Word " * 200)
    rendering = render_sms(reply)
    assert "**" not in rendering.body
    assert "NHS (https://www.nhs.uk/)" in rendering.body
    assert rendering.cost.encoding == "GSM-7"
    assert rendering.cost.segments <= 3
    assert sms_cost(rendering.body).segments == rendering.cost.segments


def test_telegram_html_is_escaped_and_links_kept() -> None:
    html = render_telegram(Reply(text="**Bold** <script>x</script> & [NHS](https://www.nhs.uk/a?b=1&c=2)"))
    assert "<b>Bold</b>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://www.nhs.uk/a?b=1&amp;c=2">NHS</a>' in html
