from bot.answers.gsm import fit_segments, sms_cost, to_gsm


def test_segments_gsm7() -> None:
    assert sms_cost("a" * 160).segments == 1
    assert sms_cost("a" * 161).segments == 2
    assert sms_cost("a" * 459).segments == 3
    assert sms_cost("a" * 460).segments == 4


def test_extended_characters_count_twice() -> None:
    assert sms_cost("[" * 80).units == 160


def test_one_curly_quote_makes_ucs2_and_mapping_fixes_it() -> None:
    text = "It\u2019s fine \u2014 really " + "x" * 60
    assert sms_cost(text).encoding == "UCS-2"
    assert sms_cost(text).segments == 2
    mapped = to_gsm(text)
    assert sms_cost(mapped).encoding == "GSM-7"
    assert sms_cost(mapped).segments == 1


def test_fit_segments_keeps_the_start() -> None:
    text = "Call 999 now. " + "More words here. " * 60
    fitted = fit_segments(text, 3)
    assert fitted.startswith("Call 999 now.")
    assert sms_cost(fitted).segments == 3
