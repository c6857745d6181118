"""Class results from the store's counts: pure functions over DataFrames, small-group rules applied.

The store counts in the database (GROUP BY); nothing here sees a participant or a raw answer row.
A question's result is shown only when at least ``k`` students gave a real answer (skips are
counted and shown apart, but do not count towards ``k``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from beeldwijs import settings
from beeldwijs.content.model import SKIP, Question, Scenario, Trigger
from beeldwijs.store import Count


def configured_k(raw: str | None = None) -> int:
    """The small-group threshold: ``raw``, else ``BEELDWIJS_K``, else the default (settings);
    values below its minimum (3) are refused."""
    return int(settings.parse("k", raw) if raw is not None else settings.value("k"))


def counts_frame(counts: list[Count]) -> pd.DataFrame:
    """One row per (question_key, round, value) with its count."""
    return pd.DataFrame(
        [(c.question_key, c.round, c.value, c.count) for c in counts],
        columns=["question_key", "round", "value", "count"],
    )


@dataclass(frozen=True)
class QuestionResult:
    """The tally of one question in one round; ``counts`` is indexed by option id, skip excluded."""

    question: Question
    round: int
    counts: pd.Series
    skipped: int
    k: int

    @property
    def answered(self) -> int:
        return int(self.counts.sum())

    @property
    def total(self) -> int:
        return self.answered + self.skipped

    @property
    def visible(self) -> bool:
        return self.answered >= self.k

    def share(self, option_ids: tuple[str, ...]) -> float:
        """Share of real answers that fall in ``option_ids`` (0 when nobody answered)."""
        if not self.answered:
            return 0.0
        return float(self.counts.reindex(list(option_ids), fill_value=0).sum()) / self.answered


def question_result(
    frame: pd.DataFrame, question: Question, round_no: int, k: int
) -> QuestionResult:
    rows = frame[(frame["question_key"] == question.key) & (frame["round"] == round_no)]
    by_value = rows.groupby("value")["count"].sum()
    skipped = int(by_value.get(SKIP, 0))
    if question.is_open:
        answered = by_value.drop(SKIP, errors="ignore")
        counts = pd.Series({"open": int(answered.sum())}, dtype="int64")
    else:
        order = [o.id for o in question.options]
        counts = by_value.reindex(order, fill_value=0).astype("int64")
    return QuestionResult(question, round_no, counts, skipped, k)


def rounds_of(frame: pd.DataFrame, question: Question) -> list[int]:
    """The rounds that have answers for ``question``, at least [1]."""
    found = sorted(
        int(r) for r in frame.loc[frame["question_key"] == question.key, "round"].unique()
    )
    return found or [1]


def fired_triggers(scenario: Scenario, results: dict[str, QuestionResult]) -> list[Trigger]:
    """The scenario's pattern prompts whose condition the (visible) results meet."""
    fired = []
    for trigger in scenario.triggers:
        result = results.get(scenario.question(trigger.question).key)
        if (
            result is not None
            and result.visible
            and result.share(trigger.answers) >= trigger.min_share
        ):
            fired.append(trigger)
    return fired
