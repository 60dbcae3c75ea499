"""Every confidence threshold the assistant decides on, in one typed object, each with its measurement.

They are properties of the trained model and are committed with it, not set per deployment: changing one
means measuring again (`parentbot evaluate tests/data/eval.jsonl`, README "Evaluation"). config.yml's two
fallback thresholds must equal the values here (tests/unit/project/test_thresholds.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Thresholds:
    # Answer directly at this confidence or more. Chosen on the tune halves (issue 14, 2026-12-02, with the
    # signposts and answer keywords): on questions_tune.jsonl answer accuracy 0.774 with wrong answers 0.047 at
    # 0.45 (0.744 / 0.043 at 0.5, 0.793 / 0.051 at 0.4); eval.jsonl 0.800 / 0.025. Before: 0.5 on eval.jsonl.
    answer: float = 0.45
    # Below `answer`, offer the closest answers as numbered options from this confidence. Chosen together
    # with `answer` on eval.jsonl, so that set's figures flatter the model slightly (README).
    clarify: float = 0.2
    # Options are offered only while the best answer reaches this share of the best intent's confidence, so
    # a clear non-answer intent (greeting, out of scope) wins over weak answers. Not measured on its own:
    # part of the decision the eval.jsonl figures above were measured with.
    clarify_share_of_best: float = 0.5
    # Each option offered must reach this much on its own, so the list is not padded with noise. Not measured
    # on its own either (the same run).
    option: float = 0.05
    # A question in another language gets our English answer beside the interpreter offer only at this confidence
    # (bot/languages/confident.py): a wrong English answer is worse than the offer alone for a parent who reads
    # little English. Chosen on the ordinary lines of lang_tune.jsonl and lang_tune2.jsonl (348, judged by topic;
    # lang15, 2026-12-03, the model with bot/data/nlu/languages.yml, branch lang15, not yet merged): 4 answers on
    # the wrong topic at 0.8, 1 at 0.9;
    # then measured on tests/data/lang_questions.jsonl: 15 of 72 right, 0 wrong at 0.9 (31 right, 3 wrong at 0.8;
    # 48 / 9 at 0.45). Before the language examples, at 0.45: 9 right, 2 wrong.
    other_language_answer: float = 0.9
    # A signpost found by its keywords (bot/answers/signposts.py) is sent unless the answer model answers at
    # this confidence or more. Chosen on tests/data/real/questions_tune.jsonl (issue 14; README "Evaluation").
    answer_over_signpost: float = 0.85
    # A follow-up (bot/answers/context.py) is answered directly when the best answer in the last answer's topic
    # holds this share of the topic's confidence and the second reading agrees; otherwise a menu in that topic.
    # Chosen on the follow-up conversations (tests/stack/test_follow_ups.py), which were written for it.
    context_answer: float = 0.4
    # The model's risk intent escalates on its own only at this confidence. On redflags.jsonl's 133
    # non-risk lines 0.6 raised 11% false alarms ("a fit of giggles", "dead tired") and found nothing the
    # matcher missed; 0.85 about 1.5% (README "Model choices").
    model_risk: float = 0.85
    # config.yml, FallbackClassifier `threshold`: below it Rasa predicts nlu_fallback, and action_answer
    # decides on the ranking underneath (bot/answers/decision.py), so it only has to sit below `answer`;
    # the eval.jsonl figures were measured with it at this value.
    nlu_fallback: float = 0.3
    # config.yml, RulePolicy `core_fallback_threshold`: the same value, so a turn no rule covers reaches
    # action_answer the same way.
    core_fallback: float = 0.3
    # The risk classifier (bot/risk/classifier.py), per group: the concern tier from `risk_concern`, the
    # emergency route from `risk_emergency`. Chosen by `python -m bot.training.risk_train` on the tune half's
    # 5-fold out-of-fold predictions, with the matcher: the best recall with ordinary any-escalation <= 0.045
    # (docs/figures/risk_model.json, README "Risk classifier"). Tune half, lr_word_char@mean (the message-level and
    # sentence-pooled scores averaged), 2026-12-03 (issue 12's third pass: 22 real ordinary lines, the stricter
    # budget, a stated age completing a split red flag, bare commands unscreened by the classifier): recall
    # 0.69 / 0.85 / 0.93 (urgent medical / mental health / safeguarding), all 0.80, ordinary escalated 0.042.
    # Mental health at 0.75, one grid step below the chooser's 0.8: at 0.8 a written-out suicide plan without the
    # word (tests/stack/test_risk_tiers.py, PLAN) scored 0.78 and was missed; 0.75 costs one more tune-half ordinary
    # line (0.042 to 0.047) and no tune-half recall. Safety over the budget's last line.
    # Before (second pass, budget 0.06): 0.9 / 0.8 / 0.45, tune 0.79 at 0.056, held-out ordinary 0.098.
    risk_concern: dict[str, float] = field(
        default_factory=lambda: {"urgent_medical": 0.95, "mental_health": 0.75, "safeguarding": 0.55}
    )
    # No classifier-only emergency (a threshold above 1 is never reached): the classifier's probability says
    # which group a message belongs to, not how severe it is (a written-out suicide plan scored 0.86 for mental
    # health, "I cry every day and feel like a failure" 0.99), so what it alone finds gets the concern tier, whose
    # reply still gives 999 and the crisis numbers. The emergency tier stays the matcher's. With the CV-chosen
    # emergency thresholds (0.95 / 0.95 / 0.75) ordinary messages got an emergency reply 0.042 of the time on the
    # held-out half; with these, only the matcher's own 0.033.
    risk_emergency: dict[str, float] = field(
        default_factory=lambda: {"urgent_medical": 1.01, "mental_health": 1.01, "safeguarding": 1.01}
    )


THRESHOLDS = Thresholds()
