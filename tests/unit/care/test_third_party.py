"""bot/care/third_party.py: which messages name someone other than the parent (relations and names)."""

from __future__ import annotations

from bot.care.third_party import named


def test_relations_are_named() -> None:
    assert named("Is your partner at home with you?") == ("your partner",)
    assert named("Has your Husband seen this? Does the baby's father know?") == ("your husband", "the baby's father")
    assert named("Is his dad there, or your mum?") == ("his dad", "your mum")


def test_names_inside_a_sentence_are_named() -> None:
    assert named("I spoke to Dave this morning.") == ("Dave",)
    assert named("Hello Sarah, is Tom with you?") == ("Sarah", "Tom")


def test_the_services_own_words_name_no_one() -> None:
    assert named("Please call 999 now, or go to A&E. Ring NHS 111 on Monday or your GP.") == ()
    assert named("Hello, this is your health visitor. Is it safe for me to ring you now? Reply YES or NO.") == ()
    assert named("Can you tell me how old your baby is? I'll ring you at 3pm.") == ()
