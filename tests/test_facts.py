"""Legal facts: one file with primary sources and dates; content states the law in force since 2024.

The grep at the end reads every content file and every text with its own word lists (not the
linter's), so that it still catches what a weakened linter would let through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.checklist import load_checklist
from beeldwijs.content.facts import (
    DEFAULT_FILE,
    all_facts,
    check_fact_file,
    facts_file,
    format_facts,
)
from beeldwijs.content.help import help_routes
from beeldwijs.content.mentorguide import common_guide
from beeldwijs.texts import NL

REPO = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).parent / "broken" / "facts"

#: broken facts file → (error or None, warning or None) that ``beeldwijs check`` must give
FACT_EXPECTED = {
    "not-primary": (
        "/facts/0/url: feit 'smaad' heeft een primaire bron nodig: een https-adres op wetten.overheid.nl",
        None,
    ),
    "checked-not-a-date": (
        "/facts/0/checked: hier hoort een datum zoals \"2026-12-06\", maar er staat 'vorige week'",
        None,
    ),
    "without-source": ("/facts/0/source: ontbreekt (verplicht)", None),
    "duplicate-id": ("/facts/1/id: feit-id 'smaad' staat er twee keer", None),
    "checked-long-ago": (
        None,
        "/facts/0/checked: feit 'smaad' is voor het laatst nagekeken op 2024-11-24, meer dan een jaar geleden",
    ),
}


@pytest.fixture(autouse=True)
def _fresh_facts() -> Iterator[None]:
    from beeldwijs.content import facts

    facts._facts.cache_clear()
    yield
    facts._facts.cache_clear()


def test_every_broken_facts_file_is_covered() -> None:
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(FACT_EXPECTED)


@pytest.mark.parametrize("name", sorted(FACT_EXPECTED))
def test_broken_facts_file_gives_its_message(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BROKEN / f"{name}.yaml"
    monkeypatch.setenv("BEELDWIJS_FACTS_FILE", str(path))
    error, warning = FACT_EXPECTED[name]
    errors, warnings = check_fact_file()
    assert [str(p) for p in errors if error and error in str(p)] == [str(p) for p in errors]
    assert len(errors) == (1 if error else 0) and len(warnings) == (1 if warning else 0)
    assert all(str(path) in str(p) for p in errors + warnings)
    draft = REPO / "tests" / "broken" / "scenarios" / "too-few-questions.yaml"  # any one file
    code = main(["check", str(draft)])
    out = capsys.readouterr().out
    assert (error or warning) in out
    if warning:
        assert f"waarschuwing: {path}" in out
    assert code == 1  # the draft itself has a problem; the fact problem is listed with it


def test_a_stale_fact_warns_but_the_check_passes(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    library: Library,
    tmp_path: Path,
) -> None:
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["facts"][0]["checked"] = "2024-11-24"
    stale = tmp_path / "facts.yaml"
    stale.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("BEELDWIJS_FACTS_FILE", str(stale))
    good = library.scenario_dir / "brugklaskamp-foto.yaml"
    assert main(["check", str(good)]) == 0
    out = capsys.readouterr().out
    assert f"waarschuwing: {stale}" in out and "nagekeken op 2024-11-24" in out


def test_shipped_facts_have_primary_sources_and_are_all_used(library: Library) -> None:
    assert facts_file() == DEFAULT_FILE
    errors, _warnings = check_fact_file()
    assert errors == []
    used: set[str] = set()
    for sid in library.scenario_ids():
        scenario = library.scenario(sid)
        used |= set(scenario.facts) | {f for q in scenario.questions for f in q.facts}
    used |= {f for s in load_checklist().sections for i in s.items for f in i.facts}
    used |= {f for r in (*help_routes(), *help_routes(staff=True)) for f in r.facts}
    used |= {f for lesson in library.lessons() if lesson.guide for f in lesson.guide.facts}
    used |= {f for staff in (False, True) for f in common_guide(staff).facts}
    assert set(all_facts()) - used == set(), "facts no text relies on"
    for fact in all_facts().values():
        assert fact.valid_from <= fact.checked and fact.url.startswith("https://")


def test_beeldwijs_facts_lists_every_fact_and_docs_page_is_current(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["facts"]) == 0
    out = capsys.readouterr().out
    for fact in all_facts().values():
        assert f"[{fact.id}]" in out and fact.url in out and fact.checked in out
    page = (REPO / "docs" / "facts.md").read_text(encoding="utf-8")
    assert page == format_facts(all_facts(), markdown=True), (
        "docs/facts.md is out of date: beeldwijs facts --markdown > docs/facts.md"
    )


# -- the law in force on 1 December 2026, and no promises of secrecy --------------------------

#: Statements of the sexting law before the Wet seksuele misdrijven (1 July 2024).
OLD_SEXTING_LAW = re.compile(
    r"240b|pubers\s+in\s+beeld|leidraad\s+afdoening|drie\s+categorie"
    r"|(meestal|in\s+principe)\s+niet\s+(vervolg|gestraft)|wettelijk\s+gaat\s+het\s+om",
    re.IGNORECASE,
)
KINDERPORNO = re.compile(r"kinderporn", re.IGNORECASE)
STOP_ONLINE_SHAMING_TAKEDOWN = re.compile(
    r"stop\s*online\s*shaming[^.!?]*(offline|trusted\s*flagger|weg\s*(te\s*)?hal|verwijder)"
    r"|(offline|trusted\s*flagger|weg\s*(te\s*)?hal|verwijder)[^.!?]*stop\s*online\s*shaming",
    re.IGNORECASE,
)
SECRECY = re.compile(
    r"blijft\s+(in\s+de\s+klas|tussen\s+ons|onder\s+ons|geheim)|niet\s+doorverteld"
    r"|noem\s+je\s+naam\s+niet|nooit\s+bekend|garande\w*\s+[^.]*(vertrouwelijk|anoniem|geheim)"
    r"|ik\s+vertel\s+het\s+(aan\s+)?niemand",
    re.IGNORECASE,
)


def _groups(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every mapping's own text values joined (an option, a route, a question), by key path."""
    if isinstance(node, dict):
        own = " ".join(v for v in node.values() if isinstance(v, str))
        if own:
            yield where, own
        for key, value in node.items():
            yield from _groups(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield f"{where}/{i}", value
            else:
                yield from _groups(value, f"{where}/{i}")


def _content() -> Iterator[tuple[str, str, bool]]:
    """(where, text, read by students) for every scenario, lesson, data file and text."""
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        students = data.get("audience") != ["staff"]
        for where, text in _groups(data, path.name):
            yield where, text, students
    for path in sorted((REPO / "lessons").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, text in _groups(data, path.name):
            yield where, text, data.get("audience") != ["staff"]
    help_data = yaml.safe_load((REPO / "beeldwijs/data/help.yaml").read_text(encoding="utf-8"))
    for key, routes in help_data.items():
        for where, text in _groups(routes, f"help.yaml/{key}"):
            yield where, text, key != "staff_routes"
    checklist = yaml.safe_load((REPO / "beeldwijs/data/selfscan.yaml").read_text("utf-8"))
    for where, text in _groups(checklist, "selfscan.yaml"):
        yield where, text, False
    letter = (REPO / "beeldwijs/data/ouderbrief.md").read_text(encoding="utf-8")
    for i, paragraph in enumerate(letter.split("\n\n")):
        yield f"ouderbrief.md/{i}", paragraph, True
    for key, text in NL.items():  # a plural text: both forms
        yield f"texts.py/{key}", " / ".join(text) if isinstance(text, tuple) else text, True


def test_the_grep_reads_every_kind_of_content() -> None:
    found = list(_content())
    assert len(found) > 1000
    assert {w.split("/")[0].split(".")[-1] for w, _, _ in found} >= {"yaml", "md", "py"}


def test_no_text_states_the_sexting_law_before_july_2024() -> None:
    hits = [(w, m.group(0)) for w, text, _ in _content() if (m := OLD_SEXTING_LAW.search(text))]
    assert hits == []


def test_no_student_text_calls_an_image_kinderporno() -> None:
    hits = [w for w, text, students in _content() if students and KINDERPORNO.search(text)]
    assert hits == []


def test_stop_online_shaming_is_no_takedown_route() -> None:
    hits = [w for w, text, _ in _content() if STOP_ONLINE_SHAMING_TAKEDOWN.search(text)]
    assert hits == []


def test_no_text_promises_secrecy() -> None:
    hits = [(w, m.group(0)) for w, text, _ in _content() if (m := SECRECY.search(text))]
    assert hits == []


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Wettelijk gaat het om kinderporno.", OLD_SEXTING_LAW),
        ("Politie en OM vervolgen sexting meestal niet vervolgd", OLD_SEXTING_LAW),
        ("Stop Online Shaming haalt de foto offline.", STOP_ONLINE_SHAMING_TAKEDOWN),
        ("Wat iemand in de klas vertelt, blijft in de klas.", SECRECY),
        ("Vertrouwelijk: je naam wordt niet doorverteld.", SECRECY),
    ],
)
def test_the_grep_would_catch_the_old_wording(text: str, pattern: re.Pattern[str]) -> None:
    assert pattern.search(text)


def test_self_scan_advice_with_legal_wording_needs_its_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from beeldwijs.content.check import check_checklist_wording
    from beeldwijs.content.checklist import checklist_file

    data = yaml.safe_load(checklist_file().read_text(encoding="utf-8"))
    item = data["sections"][0]["items"][0]
    item["advice"] += " Beelden zonder toestemming verspreiden is strafbaar."
    item.pop("facts", None)
    path = tmp_path / "selfscan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("BEELDWIJS_SELFSCAN_FILE", str(path))
    assert [str(p) for p in check_checklist_wording()] == [
        f"{path}: /sections/0/items/0/advice: juridische woorden ('strafbaar') zonder feit: zet "
        "de id's van de feiten waarop de tekst steunt onder facts (beeldwijs facts toont ze)"
    ]
