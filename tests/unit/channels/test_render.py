"""Channel rendering with literal expected bodies and costs: a rendering change must show up here as text."""

from bot.answers.gsm import SmsCost
from bot.turn.messages import Reply
from channels.render.reply import render_sms, render_telegram


def test_sms_buttons_become_one_numbered_body() -> None:
    reply = Reply(
        text="Did you mean one of these?",
        buttons=[{"title": "Feeding", "payload": "/x"}, {"title": "Sleep", "payload": "/y"}],
    )
    assert render_sms(reply).body == "Did you mean one of these?\n1. Feeding\n2. Sleep"


def test_sms_long_markdown_is_plain_gsm_and_capped_at_three_segments() -> None:
    reply = Reply(text="**Title**\n\n- point \u201cone\u201d\n- [NHS](https://www.nhs.uk/)\n\n" + "Word " * 200)
    rendering = render_sms(reply)
    # 50 characters of heading and list, then 81 words, cut on a word with "...": 457 of the 459 GSM-7
    # units three segments hold (153 each).
    assert rendering.body == 'Title\n\n- point "one"\n- NHS (https://www.nhs.uk/)\n\n' + "Word " * 80 + "Word..."
    assert rendering.cost == SmsCost(encoding="GSM-7", units=457, segments=3, non_gsm=())


def test_telegram_html_is_escaped_and_links_kept() -> None:
    html = render_telegram(Reply(text="**Bold** <script>x</script> & [NHS](https://www.nhs.uk/a?b=1&c=2)"))
    assert html == (
        '<b>Bold</b> &lt;script&gt;x&lt;/script&gt; &amp; <a href="https://www.nhs.uk/a?b=1&amp;c=2">NHS</a>'
    )
