"""Wording the linter looks for: legal claims (they need a fact) and promises of secrecy (never).

Both are hints, like every word list: the reviewers read the rest. The patterns are kept narrow
enough that ordinary lesson text ("om te", "vervolgens") does not trip them.
"""

from __future__ import annotations

import re

#: A sentence that says what the law says: a punishable act, a legal term, a procedure.
LEGAL_WORDING = re.compile(
    r"\bstrafba\w*|\bkinderporn\w*|\bwettelijk\w*|\bwet\b|\bwetboek\b|\bartikel\s+\d|\bart\.\s*\d"
    r"|\bvervolg(d|en|ing)\b|\bopenbaar\s+ministerie\b|\bjustitie\b|\bsmaad\b|\blaster\b"
    r"|\bbelediging\w*|\bbelaging\b|\bstalking\b|\bdoxing\b|\bhalt\b|\bstrafblad\b"
    r"|\bjeugdstrafrecht\b|\bklachtdelict\w*|\baangifte\b|\btrusted\s+flagger\b|\bmeldcode\b"
    r"|\bidentiteitsfraude\b|\bportretrecht\b|\bafpersing\b|\bsextortion\b|\brechter\b"
    r"|\billegaal\b|\bleidraad\s+afdoening\b|\bpubers\s+in\s+beeld\b"
    r"|\bgeen\s+straf\b|\bniet\s+gestraft\b",
    re.IGNORECASE,
)
#: Abbreviations that are legal only in capitals ("om" and "sr" are ordinary Dutch otherwise).
LEGAL_ABBREVIATIONS = re.compile(r"\bOM\b|\bSr\b|\bSv\b|\bDSA\b")

#: A promise that what someone tells stays secret: under the Meldcode nobody at school can keep it.
SECRECY_PROMISE = re.compile(
    r"\bblijft\s+(het\s+|dit\s+)?(in\s+de\s+klas|tussen\s+ons|onder\s+ons|geheim)\b"
    r"|\b(wordt|worden)\s+(echt\s+)?niet\s+doorverteld\b"
    r"|\bik\s+(vertel|zeg)\s+(het|dit)\s+(aan\s+)?niemand\b"
    r"|\b(ik\s+)?noem\s+je\s+naam\s+niet\b"
    r"|\bniemand\s+(komt|zal)\s+(het|dit)\s+(ooit\s+)?(te\s+)?weten\b"
    r"|\bnaam\s+(\w+\s+){0,4}(nooit|niet)\s+(\w+\s+){0,2}(bekend|genoemd|doorverteld)\b"
    r"|\bhoud(t|en)?\s+(het|dit)\s+geheim\b"
    r"|\b(100\s*%|helemaal)\s+geheim\b"
    r"|\bgarande\w*\s+(\w+\s+){0,6}(vertrouwelijk|geheim|anoniem)",
    re.IGNORECASE,
)
#: "… eerst met jou bespreken", "dat zegt ze eerst tegen Kerem", "vertelt dat eerst aan Kerem": a
#: promise too, unless the same sentence says when it cannot be kept (acute danger, honour-related
#: risk: the Meldcode may require acting first). The person is "jou", "je", "de leerling" or a name
#: (a capital, whatever the case of the rest); the verb is one of telling or talking it over.
_FIRST_VERB = r"\b(bespr\w+|overleg\w*|zeg\w*|vertel\w*)\b"
_FIRST_PERSON = r"\beerst\s+(met|tegen|aan)\s+(jou|je|de\s+leerling|(?-i:[A-Z][a-z]+))\b"
FIRST_WITH_YOU = re.compile(
    rf"{_FIRST_VERB}[^.!?]*{_FIRST_PERSON}|{_FIRST_PERSON}[^.!?]*{_FIRST_VERB}",
    re.IGNORECASE,
)
FIRST_WITH_YOU_CONDITION = re.compile(
    r"\bals\s+het\s+kan\b|\bbehalve\b|\btenzij\b|\bzo\s+veel\s+mogelijk\b|\bzoveel\s+mogelijk\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?’'\"])\s+")

#: A safety line: where to get help (a help route by name or number) or what to do when someone
#: threatens with a picture. Text after the discussion that carries one must reach every student:
#: the guide marks its question "Toon uitleg verplicht" (docs/decisions/safety-lines-at-the-close.md).
SAFETY_LINE = re.compile(
    r"\bhelp\s*wanted\b|\bkindertelefoon\b|\b113\b|\b112\b|\b0900-8844\b|\bveilig\s+thuis\b"
    r"|\bslachtofferhulp\b|\bcentrum\s+seksueel\s+geweld\b|\bmeld\s+misdaad\s+anoniem\b"
    r"|\bbetaal\s+(niet|niets|nooit)\b|\bniet\s+betalen\b|\bstuur\s+niets\b",
    re.IGNORECASE,
)


def legal_wording(text: str) -> str | None:
    """The first legal word or phrase in ``text`` (None when there is none)."""
    match = LEGAL_WORDING.search(text) or LEGAL_ABBREVIATIONS.search(text)
    return match.group(0) if match else None


def safety_line(text: str) -> str | None:
    """The first safety line in ``text`` (None when there is none)."""
    match = SAFETY_LINE.search(text)
    return match.group(0) if match else None


def secrecy_promise(text: str) -> str | None:
    """The first promise of secrecy in ``text`` (None when there is none)."""
    match = SECRECY_PROMISE.search(text)
    if match:
        return match.group(0)
    for sentence in SENTENCE_END.split(text):
        first = FIRST_WITH_YOU.search(sentence)
        if first and not FIRST_WITH_YOU_CONDITION.search(sentence):
            return first.group(0)
    return None
