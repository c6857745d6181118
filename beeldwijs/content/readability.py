"""Reading level of Dutch text: sentence length, word length and the Flesch-Douma score.

The lessons are written at two levels of the Common European Framework: B1 (the default, a
first-year student reads it without help) and A2 (simpler Dutch for vmbo-basis,
praktijkonderwijs and newcomer classes). A computer cannot judge a level; it can measure what
the level guidelines for Dutch easy-to-read text name first: short sentences, short words, few
long sentences. The Flesch-Douma score is Flesch's reading ease with Douma's Dutch weights
(206.835 − 0.93 × words per sentence − 77 × syllables per word); higher is easier. Syllables are
counted as groups of vowels ("ei", "oe", "aa" count once), which is close enough for a score.

The limits per level were set on the content in this repository (docs/decisions/
reading-level.md has the figures): every B1 file passed them when they were set, and A2 asks
clearly more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from beeldwijs.texts import t

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'’”)]*\s+|\n+")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’-][A-Za-zÀ-ÖØ-öø-ÿ]+)*")
_VOWELS = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]+")


@dataclass(frozen=True)
class Limits:
    """What a level allows, measured over all the text a student reads in one file."""

    max_mean_sentence: float  # words per sentence, on average
    max_sentence: int  # words in the longest sentence
    max_mean_syllables: float  # syllables per word, on average
    min_score: float  # Flesch-Douma


LEVELS: dict[str, Limits] = {
    "B1": Limits(max_mean_sentence=11.0, max_sentence=24, max_mean_syllables=1.65, min_score=70.0),
    "A2": Limits(max_mean_sentence=7.0, max_sentence=12, max_mean_syllables=1.40, min_score=90.0),
}


@dataclass(frozen=True)
class Measure:
    sentences: int
    words: int
    syllables: int
    longest: str  # the longest sentence

    @property
    def mean_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def mean_syllables(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def longest_words(self) -> int:
        return len(_WORD.findall(self.longest))

    @property
    def score(self) -> float:
        """Flesch-Douma reading ease (higher is easier; 60–70 is plain Dutch)."""
        if not self.words:
            return 100.0
        return 206.835 - 0.93 * self.mean_sentence - 77 * self.mean_syllables


def syllables(word: str) -> int:
    return max(1, len(_VOWELS.findall(word.lower())))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if _WORD.search(s)]


def measure(texts: Iterable[str]) -> Measure:
    """Sentence and word counts over ``texts`` (each text is split into sentences)."""
    all_sentences = [s for text in texts for s in sentences(text)]
    words = [w for s in all_sentences for w in _WORD.findall(s)]
    longest = max(all_sentences, key=lambda s: len(_WORD.findall(s)), default="")
    return Measure(len(all_sentences), len(words), sum(syllables(w) for w in words), longest)


def _decimal(value: float, spec: str) -> str:
    """``value`` the Dutch way: a decimal comma (9,4)."""
    return format(value, spec).replace(".", ",")


def level_problems(level: str, found: Measure) -> list[str]:
    """What in ``found`` is above ``level`` (Dutch, for ``beeldwijs check``)."""
    limits = LEVELS[level]
    problems = []
    if found.mean_sentence > limits.max_mean_sentence:
        problems.append(
            t(
                "lint.mean_sentence",
                mean=_decimal(found.mean_sentence, ".1f"),
                maximum=_decimal(limits.max_mean_sentence, "g"),
            )
        )
    if found.longest_words > limits.max_sentence:
        short = found.longest if len(found.longest) <= 60 else found.longest[:57] + "…"
        problems.append(
            t(
                "lint.long_sentence",
                n=found.longest_words,
                maximum=limits.max_sentence,
                sentence=repr(short),
            )
        )
    if found.mean_syllables > limits.max_mean_syllables:
        problems.append(
            t(
                "lint.mean_syllables",
                mean=_decimal(found.mean_syllables, ".2f"),
                maximum=_decimal(limits.max_mean_syllables, "g"),
            )
        )
    if found.score < limits.min_score:
        problems.append(
            t(
                "lint.flesch_douma",
                score=_decimal(found.score, ".0f"),
                minimum=_decimal(limits.min_score, "g"),
            )
        )
    return problems
