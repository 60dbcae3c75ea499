"""bot/privacy/scrub.py: no phone number, email, postcode or NHS number survives, whatever surrounds it."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.privacy.scrub import scrub

WORDS = st.lists(
    st.sampled_from(
        [
            "my",
            "baby",
            "is",
            "on",
            "call",
            "me",
            "at",
            "or",
            "email",
            "live",
            "near",
            "number",
            "thanks",
            "x",
            "pls",
            "tel:",
            "(",
            ")",
            ",",
            "-",
            "?",
            "!",
        ]
    ),
    max_size=6,
).map(" ".join)
D = st.integers(0, 9).map(str)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.lists(D, min_size=n, max_size=n).map("".join)


@st.composite
def uk_phone(draw: st.DrawFn) -> str:
    """Mobile and landline numbers in the ways parents write them."""
    kind = draw(st.sampled_from(["mobile", "london", "city", "area"]))
    national = {
        "mobile": lambda: "7" + draw(digits(9)),
        "london": lambda: "20" + draw(digits(8)),
        "city": lambda: "1" + draw(st.sampled_from("12345678")) + "1" + draw(digits(7)),
        "area": lambda: "1" + draw(digits(3)) + draw(digits(6)),
    }[kind]()
    prefix = draw(st.sampled_from(["0", "+44", "+44 ", "0044 ", "+44 (0)", "(0"]))
    if prefix == "(0":
        split = 3 if kind != "mobile" else 4
        return f"(0{national[: split - 1]}) {national[split - 1 :]}"
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    cut = draw(st.sampled_from([4, 3, 2]))
    body = national[:cut] + sep + national[cut : cut + 3] + sep + national[cut + 3 :]
    return prefix + body


@st.composite
def email(draw: st.DrawFn) -> str:
    local = draw(st.from_regex(r"[a-z][a-z0-9._+-]{0,14}[a-z0-9]", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True))
    return f"{local}@{domain}{draw(st.sampled_from(['.com', '.co.uk', '.nhs.net', '.org']))}"


@st.composite
def postcode(draw: st.DrawFn) -> str:
    letters = "ABCDEFGHIJKLMNOPRSTUWYZ"
    area = draw(st.text(letters, min_size=1, max_size=2))
    lettered = draw(digits(1)) + draw(st.sampled_from("ABEHMNPRVWXY"))
    district = draw(st.sampled_from([draw(digits(1)), draw(digits(2)), lettered]))
    inward = draw(digits(1)) + draw(st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    code = f"{area}{district}{draw(st.sampled_from([' ', '', '  ']))}{inward}"
    return draw(st.sampled_from([code, code.lower()]))


@st.composite
def nhs_number(draw: st.DrawFn) -> str:
    n = draw(digits(10))
    return draw(st.sampled_from([n, f"{n[:3]} {n[3:6]} {n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}"]))


def only_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def survives(kind: str, value: str, out: str) -> bool:
    if kind in ("phone", "nhs"):
        # The number's significant digits (without the country or trunk prefix) must be gone.
        tail = only_digits(value)[-9:]
        return tail in only_digits(out)
    if kind == "email":
        return "@" in out or value.lower() in out.lower()
    return re.sub(r"\s", "", value).upper() in re.sub(r"\s", "", out).upper()


PII = st.one_of(
    uk_phone().map(lambda v: ("phone", v)),
    email().map(lambda v: ("email", v)),
    postcode().map(lambda v: ("postcode", v)),
    nhs_number().map(lambda v: ("nhs", v)),
)


def check(before: str, item: tuple[str, str], after: str) -> None:
    kind, value = item
    text = f"{before} {value} {after}".strip()
    out = scrub(text)
    assert not survives(kind, value, out), (kind, value, out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, PII, WORDS)
def test_no_personal_identifier_survives_scrubbing(before: str, item: tuple[str, str], after: str) -> None:
    check(before, item, after)


@pytest.mark.slow
@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, PII, WORDS)
def test_no_personal_identifier_survives_scrubbing_10000(before: str, item: tuple[str, str], after: str) -> None:
    check(before, item, after)


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("my name is sarah jones and my baby is 3 weeks", ["sarah", "jones"], ["baby", "3 weeks"]),
        ("Hi I'm Priya, is this normal?", ["Priya"], ["normal"]),
        ("I'm worried about his feeds", [], ["worried", "feeds"]),
        ("she was born on 12/03/2025", ["12/03/2025"], ["born"]),
        ("dob 3rd March 2024", ["3rd March 2024"], ["dob"]),
        ("we live at 14 Acacia Avenue near the clinic", ["14 Acacia Avenue"], ["clinic"]),
        ("feeds 8 times a day, 120ml each", [], ["8 times", "120ml"]),
    ],
)
def test_names_dates_and_addresses_go_while_the_question_stays(text: str, gone: list[str], kept: list[str]) -> None:
    out = scrub(text)
    for g in gone:
        assert g not in out, out
    for k in kept:
        assert k in out, out
