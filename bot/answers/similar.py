"""A second, cheap reading of a message: which answers' example questions it is nearest to (TF-IDF).

Used only for follow-ups (bot/answers/context.py): the message joined with the title of the last answer is
read again, which the trained model cannot do from inside the action server. scikit-learn's character
n-gram TF-IDF over content/ questions builds in well under a second and needs no training run.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from bot.answers.model import Answer


class QuestionIndex:
    def __init__(self, answers: Sequence[Answer]) -> None:
        self.owners: list[str] = []
        texts: list[str] = []
        for answer in answers:
            for question in (answer.title, *answer.questions):
                self.owners.append(answer.id)
                texts.append(question.lower())
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(texts) if texts else None

    def scores(self, text: str, topic: str | None = None) -> dict[str, float]:
        """Answer id -> best cosine similarity of `text` to one of its questions (within `topic` if given)."""
        if self.matrix is None:
            return {}
        similarity = linear_kernel(self.vectorizer.transform([text.lower()]), self.matrix)[0]
        best: dict[str, float] = {}
        for owner, value in zip(self.owners, similarity, strict=True):
            if topic is None or owner.startswith(topic + "/"):
                best[owner] = max(best.get(owner, 0.0), float(value))
        return best
