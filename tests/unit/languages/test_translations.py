"""The core messages in the parent's language (content/messages/translations/) and the editors' gate on them:
which texts await a qualified translator, what each costs as an SMS, and the numbers and keywords kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot import paths
from bot.answers.messages import Messages
from bot.languages.gate import Row, check_translations

MESSAGES = paths.CONTENT / "messages"
PARENTBOT = Path(sys.executable).parent / "parentbot"


def test_a_translated_message_in_the_familys_language_else_english() -> None:
    m = Messages(MESSAGES)
    assert m.in_language("safety_handoff_ack", "sms", "pl").startswith("Dziękujemy. Położna środowiskowa ma Twoje")
    assert m.in_language("privacy_forget_confirm", "sms", "ur").startswith("کیا ہم آپ کے پیغامات مٹا دیں؟")
    assert m.in_language("safety_handoff_ack", "sms", None).startswith("Thank you. A health visitor has your")
    assert m.in_language("safety_handoff_ack", "sms", "xx").startswith("Thank you. A health visitor has your")
    # Not translated: the English, never nothing.
    assert m.in_language("channels_non_text", "sms", "pl").startswith("Sorry, I can only read typed words")
    assert m.in_language("channels_help", "long", "ro").endswith("Trimiteți /stop pentru a opri mesajele.")


def rows_of(content: Path) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    findings = check_translations(content, lines.append)
    return lines, [str(f) for f in findings]


def test_the_shipped_translations_report_their_status_and_sms_cost() -> None:
    lines, findings = rows_of(paths.CONTENT)
    assert "  pl privacy_notice: awaiting qualified translator; SMS UCS-2 179 units, 3 segments, fits" in lines
    assert "  ar privacy_forget_confirm: awaiting qualified translator; SMS UCS-2 65 units, 1 segments, fits" in lines
    assert "  pa risk.urgent_medical_a: awaiting qualified translator; SMS UCS-2 139 units, 3 segments, fits" in lines
    assert "  pl messages.ordinary: awaiting qualified translator; SMS UCS-2 195 units, 3 segments, fits" in lines
    assert [f for f in findings if f.startswith("error")] == []
    assert len([f for f in findings if f.startswith("warning: language pl: review: 22 texts awaiting")]) == 1
    assert {f.split(":")[1].strip() for f in findings} == {
        f"language {c}" for c in ("ar", "bn", "pa", "pl", "ro", "ur")
    }


def fixture(tmp_path: Path, body: str) -> Path:
    (tmp_path / "messages" / "translations").mkdir(parents=True)
    (tmp_path / "messages" / "safety.yml").write_text(
        "safety_handoff_ack: Thank you. In an emergency call 999. For urgent advice call NHS 111.\n"
        "privacy_forget_confirm: Reply YES within 10 minutes to delete them.\n",
        encoding="utf-8",
    )
    (tmp_path / "messages" / "translations" / "pl.yml").write_text(body, encoding="utf-8")
    return tmp_path


def test_a_lost_number_or_keyword_a_long_text_and_an_unknown_key_are_errors(tmp_path: Path) -> None:
    content = fixture(
        tmp_path,
        "language: pl\nreview: awaiting qualified translator\nmessages:\n"
        "  safety_handoff_ack: Dziękujemy. W nagłym wypadku dzwoń pod numer alarmowy. Porada NHS 111.\n"
        "  privacy_forget_confirm:\n"
        "    sms: Odpisz TAK w ciągu 10 minut.\n"
        "    review: Jan Kowalski, 2026-11-30\n"
        f"  safety_nothing: {'ą' * 202}\n",
    )
    lines, findings = rows_of(content)
    assert findings == [
        "error: messages/translations/pl.yml: messages.safety_handoff_ack: sms: the English's 999 missing",
        "error: messages/translations/pl.yml: messages.safety_handoff_ack: long: the English's 999 missing",
        "error: messages/translations/pl.yml: messages.privacy_forget_confirm: sms: the English's YES missing",
        "error: messages/translations/pl.yml: messages.privacy_forget_confirm: long: the English's YES missing",
        "error: messages/translations/pl.yml: messages.safety_nothing: no English message of that name in "
        "content/messages/",
        "warning: language pl: review: 1 texts awaiting qualified translator: safety_handoff_ack",
    ]
    assert lines[1:] == [
        "  pl privacy_forget_confirm: Jan Kowalski, 2026-11-30; SMS UCS-2 28 units, 1 segments, fits",
        "  pl safety_handoff_ack: awaiting qualified translator; SMS UCS-2 70 units, 1 segments, fits",  # 70: still 1
    ]


def test_over_three_segments_is_an_error(tmp_path: Path) -> None:
    long_text = "Dziękujemy. W nagłym wypadku dzwoń 999. Porada NHS 111. " + "ż" * 150
    content = fixture(
        tmp_path, f"language: pl\nreview: J. Nowak 2026-11-30\nmessages:\n  safety_handoff_ack: {long_text}\n"
    )
    lines, findings = rows_of(content)
    assert findings == [
        "error: messages/translations/pl.yml: safety_handoff_ack: 4 SMS segments (206 units, UCS-2), "
        "over the limit of 3"
    ]
    assert lines[1] == "  pl safety_handoff_ack: J. Nowak 2026-11-30; SMS UCS-2 206 units, 4 segments, over 3"


def test_parentbot_check_prints_the_table() -> None:
    args = [str(PARENTBOT), "check", "--content", str(paths.CONTENT), "--today", "2026-12-01"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120).stdout
    assert "  ur safety_handoff_ack: awaiting qualified translator; SMS UCS-2 119 units, 2 segments, fits" in out
    assert "warning: language ur: review: 22 texts awaiting qualified translator: safety_handoff_ack," in out


def test_a_row_is_unreviewed_only_while_awaiting() -> None:
    assert not Row("x", "pl", "k", "Awaiting qualified translator", "UCS-2", 1, 1).reviewed
    assert Row("x", "pl", "k", "A. Translator (ITI), 2026-11-30", "UCS-2", 1, 1).reviewed


def test_a_concern_reply_in_the_familys_language_then_the_english_line() -> None:
    from bot.languages.screen import MultilingualRiskScreen

    screen = MultilingualRiskScreen()
    assert screen.reply("concern_safeguarding", "sms", "pl") == (
        "Dziękujemy. W niebezpieczeństwie dzwoń 999 (gdy nie możesz mówić: 55). Pomoc 24/7: 0808 2000 247, NSPCC "
        "0808 800 5000.\nIf anyone is in danger now, call 999. A health visitor has been told."
    )
    long = screen.reply("concern_mental_health", "long", "ur")
    assert long.startswith("یہ بہت مشکل لگتا ہے۔ مدد 24/7: NHS 111، آپشن 2، یا Samaritans 116 123۔")
    assert "\n\nThat sounds really hard, and you are not alone." in long
    # No language, or one without the translation: the English reply as before.
    assert screen.reply("concern_urgent_medical", "sms", None).startswith("That sounds worrying. If you are worried")
