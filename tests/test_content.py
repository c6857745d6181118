"""Content loading: every shipped file loads; every broken file gives its own clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from beeldwijs.cli import main
from beeldwijs.content import Library
from beeldwijs.content.check import check, check_paths
from beeldwijs.content.lint import coverage, format_coverage, lint_series, uncovered_terms
from beeldwijs.content.model import SKIP
from beeldwijs.content.names import renamed
from beeldwijs.content.wording import secrecy_promise

BROKEN = Path(__file__).parent / "broken"

#: broken file → (YAML line or None, the message it must give)
EXPECTED = {
    "bad-question-type": (24, "/questions/1/type: 'slider' kan niet: kies uit dilemma, scale"),
    "decision-bad-verdict": (
        22,
        "/questions/0/options/0/verdict: 'goed' kan niet: kies uit volgens-protocol",
    ),
    "decision-branch-backwards": (
        46,
        "/questions/1/options/1/next: 'stap-1' is geen latere vraag in dit scenario",
    ),
    "decision-for-students": (6, "/audience: beslisstappen zijn voor het team"),
    "decision-time-backwards": (32, "/questions/1/time: 08:50 ligt vóór de stap ervoor"),
    "decision-time-unquoted": (
        32,
        '/questions/1/time: hier hoort een tijd zoals "08:40" tussen aanhalingstekens, maar er staat 630 (een getal)',
    ),
    "decision-unreachable": (32, "/questions/1: vraag 'stap-2' is onbereikbaar"),
    "decision-without-protocol-option": (
        20,
        "/questions/0/options: een beslissing heeft minstens één optie met verdict 'volgens-protocol' nodig",
    ),
    "dilemma-without-expert-view": (14, "/questions/0/expert_view: ontbreekt (verplicht)"),
    "facts-old-format": (
        31,
        '/facts: facts is een lijst met feit-id\'s, zoals ["belediging-smaad-laster"]',
    ),
    "fact-unknown-id": (
        26,
        "/facts/0: 'smaad-bestaat-niet' kan niet: kies uit sexting-leeftijdsgenoten",
    ),
    "legal-wording-without-fact": (
        None,
        "/questions/2/expert_view: juridische woorden ('strafbaar') zonder feit: zet de id's",
    ),
    "stock-phrase-with-best-step": (
        None,
        "/questions/0/expert_view: zegt 'niet één goed antwoord' en noemt dan toch één antwoord "
        "('beste eerste stap'): noem de beste stap gewoon, of zeg wat elke keuze kost",
    ),
    "secrecy-promise": (
        None,
        "/questions/0/expert_view: belooft geheimhouding ('blijft tussen ons'): niemand op school",
    ),
    "first-with-you-unconditional": (
        None,
        "/questions/0/expert_view: belooft geheimhouding ('bespreekt hij dat eerst met jou'): ",
    ),
    "first-to-you-unconditional": (
        None,
        "/questions/0/expert_view: belooft geheimhouding ('zegt hij dat eerst tegen Sem'): ",
    ),
    "no-punishment-without-fact": (
        None,
        "/questions/0/expert_view: juridische woorden ('geen straf') zonder feit: zet de id's",
    ),
    "id-not-file-name": (
        2,
        "/id: id 'iets-anders' moet gelijk zijn aan de bestandsnaam 'id-not-file-name'",
    ),
    "knowledge-wrong-correct": (
        27,
        "/questions/1/correct: 'c' is niet de id van een van de opties",
    ),
    "guide-section-unknown": (
        None,
        "/guide_section: 'Hoofdstuk 7 – Memes' is geen hoofdstuk van de leidraad",
    ),
    "legal-without-facts": (
        None,
        "/facts: een scenario over juridisch heeft de id's van zijn juridische feiten nodig",
    ),
    "missing-help-routes": (1, "/help_routes: ontbreekt (verplicht)"),
    "not-yaml": (15, "geen geldige YAML"),
    "personal-experience": (
        None,
        "/questions/0/prompt: vraagt naar de eigen ervaring van de leerling",
    ),
    "personal-discussion-prompt": (
        None,
        "/discussion_prompts/1: vraagt naar de eigen ervaring van de leerling ('Ken jij iemand')",
    ),
    "personal-wel-eens": (
        None,
        "/questions/0/prompt: vraagt naar de eigen ervaring van de leerling ('Heb je wel eens')",
    ),
    "one-question-type": (
        None,
        "/questions: heeft minstens 2 soorten vragen nodig, nu alleen scale",
    ),
    "reading-level-a2": (
        None,
        "/level: moeilijker te lezen dan A2: zinnen van gemiddeld 9,4 woorden (hoogstens 7); "
        "een zin van 19 woorden (hoogstens 12)",
    ),
    "reading-level-b1": (
        None,
        "/level: moeilijker te lezen dan B1: zinnen van gemiddeld 12,1 woorden (hoogstens 11); "
        "een zin van 44 woorden (hoogstens 24)",
    ),
    "reserved-skip-id": (20, "/questions/0/options/1/id: 'sla-over' komt vanzelf bij elke vraag"),
    "too-few-questions": (None, "/questions: heeft minstens 3 vragen nodig, nu 2"),
    "trigger-unknown-question": (27, "/triggers/0/question: geen vraag met id 'bestaat-niet'"),
    "unknown-help-route": (10, "/help_routes/1: 'bel-je-oma' kan niet: kies uit mentor"),
    "unknown-key": (1, "/: onbekende sleutel colour; toegestaan: schema_version"),
    "unquoted-no": (
        3,
        "/title: hier hoort tekst, maar er staat False (ja/nee-waarde: zet de tekst tussen aanhalingstekens)",
    ),
    "warning-without-note": (1, "/content_note: verplicht als content_warning 'hoog' is"),
    "wrong-schema-version": (1, "/schema_version: deze Beeldwijs leest schema_version 1"),
}


def test_every_shipped_scenario_and_lesson_loads(library: Library) -> None:
    checked, problems = check_paths([library.scenario_dir, library.lesson_dir], library)
    assert problems == []
    assert checked == len(library.scenario_ids()) + len(library.lesson_ids())
    assert len(library.scenario_ids()) >= 3 and library.lesson_ids()


def test_skeleton_scenarios_cover_the_first_themes(library: Library) -> None:
    themes = {t for sid in library.scenario_ids() for t in library.scenario(sid).themes}
    assert {"cyberbaiting", "victim-blaming", "ramptoerisme"} <= themes


def test_every_question_offers_skip_and_unique_keys(library: Library) -> None:
    for lesson in library.lessons():
        keys = [q.key for q in lesson.questions]
        assert len(keys) == len(set(keys)), lesson.id
        for q in lesson.questions:
            assert q.is_open or SKIP in q.option_ids()


def test_every_broken_file_is_covered() -> None:
    assert {p.stem for p in (BROKEN / "scenarios").glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_its_message(name: str, library: Library) -> None:
    path = BROKEN / "scenarios" / f"{name}.yaml"
    _, problems = check_paths([path], library)
    line, message = EXPECTED[name]
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file.endswith(f"{name}.yaml")
    assert message in str(problem)
    assert problem.line == line
    assert len(str(problem).splitlines()) < 10


#: broken lesson → the message it must give (lint problems carry no YAML line)
LESSON_EXPECTED = {
    "audience-not-covered": (
        "/scenarios/1: scenario 'slut-shaming-feestfoto' is niet geschreven voor brugklas "
        "(zijn doelgroep: bovenbouw)"
    ),
    "minutes-too-long": "/minutes: een les duurt 20 tot 50 minuten, deze 90",
    "level-mixed": (
        "/scenarios/0: scenario 'klassenapp-brugklas-regels' is geschreven op B1; een les op A2 "
        "speelt alleen scenario's op A2"
    ),
    "guide-missing": (
        "/guide: een les heeft een mentorhandleiding nodig onder guide: goals, preparation, "
        "timing, skip_when_short, do_not_reveal, disclosure en follow_up"
    ),
    "guide-timing-sum": (
        "/guide/timing: de onderdelen tellen op tot 40 minuten, de les duurt er 45"
    ),
    "guide-scenario-not-planned": (
        "/guide/timing: scenario 'online-identiteit-eerste-tiktok' hoort één onderdeel in de "
        "tijdsplanning te hebben, heeft er 0"
    ),
    "guide-part-too-short": (
        "/guide/timing/1: scenario 'klassenapp-brugklas-regels' heeft ongeveer 9 minuten nodig "
        "(lezen 4, antwoorden 2, uitslag 3, gesprek 0), gepland 5"
    ),
    "guide-content-too-long": (
        "/minutes: de inhoud heeft ongeveer 40 minuten nodig (met meedoen en afsluiten), de les "
        "duurt er 35: haal een scenario weg of plan minder gesprekken"
    ),
    "name-in-two-stories": (
        "/scenarios/1: 'Sem' is een personage in 'telefoonvrij-pauzefilmpje' en in "
        "'snitching-melden-is-geen-klikken' (les 'name-in-two-stories'), twee verhalen voor "
        "dezelfde klas (brugklas): geef een van beide een andere voornaam"
    ),
    "guide-safety-not-explained": (
        "/guide/timing/2: vraag 'wie-kan-helpen' noemt na het gesprek hulp of een veilige stap "
        "('Kindertelefoon'): zet hem onder explain (\"Toon uitleg verplicht\"), zodat elke klas "
        "het leest, ook als de tijd op is"
    ),
    "guide-explain-skipped": (
        "/guide/timing/2: vraag 'wie-kan-helpen' staat onder explain en onder skip: een vraag "
        "waarvan de klas de uitleg moet lezen, sla je niet over"
    ),
    "guide-threat-script-missing": (
        "/guide/disclosure: een les over deepfake, shame-sexting heeft het script voor dreigen "
        "met een foto nodig; het noemt niet: 'ouders (tenzij dat thuis niet veilig is)', '112', "
        "'0900-8844', 'Veilig Thuis' (schrijf het zoals lessons/onderbouw-druk-en-delen.yaml)"
    ),
    "guide-threat-facts-missing": (
        "/guide/facts: het script voor dreigen met een foto steunt op feiten die de handleiding "
        "niet noemt: afpersing-sextortion"
    ),
    "guide-secrecy": (
        "/guide/disclosure: belooft geheimhouding ('blijft tussen ons'): niemand op school kan "
        "dat beloven (Meldcode); schrijf liever wat er gebeurt met wat iemand vertelt"
    ),
}


def test_every_broken_lesson_is_covered() -> None:
    assert {p.stem for p in (BROKEN / "lessons").glob("*.yaml")} == set(LESSON_EXPECTED)


@pytest.mark.parametrize("name", sorted(LESSON_EXPECTED))
def test_broken_lesson_gives_its_message(name: str, tmp_path: Path, library: Library) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "scenarios").symlink_to(library.scenario_dir)
    path = tmp_path / "lessons" / f"{name}.yaml"
    path.write_bytes((BROKEN / "lessons" / f"{name}.yaml").read_bytes())
    _, problems = check_paths([path], Library(tmp_path))
    assert [str(p) for p in problems] == [f"{path}: {LESSON_EXPECTED[name]}"]


def test_a_name_means_one_person_in_the_lessons_a_class_meets(library: Library) -> None:
    lessons = library.lessons()
    assert lint_series(lessons) == []  # roles of one story (Noor in both deepfake roles) pass
    # the Bakker lesson gives its ringleader Daan's name: the sextortion victim of the onderbouw
    daan = [renamed(lesson, {"Dylan": "Daan"}) if lesson.id == "beelden-en-jij" else lesson
            for lesson in lessons]  # fmt: skip
    problems = [str(p) for p in lint_series(daan)]
    assert len(problems) == 1
    assert problems[0].endswith(
        "onderbouw-druk-en-delen.yaml: /scenarios/1: 'Daan' is een personage in "
        "'sextortion-geld-daan' en in 'cyberbaiting-meneer-bakker' (les 'beelden-en-jij'), "
        "twee verhalen voor dezelfde klas (onderbouw): geef een van beide een andere voornaam"
    )


def test_coverage_matrix_counts_and_fails_on_a_missing_term(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = check([library.scenario_dir], library)
    assert report.problems == [] and uncovered_terms(report.scenarios) == []
    matrix = coverage(report.scenarios)
    assert matrix["calamiteitenbeleid"]["staff"] >= 3
    text = format_coverage(report.scenarios)
    assert "Ramptoerisme/slachtoffervideo's" in text and "geen scenario" not in text
    # a copy of the library without its snitching scenarios: a term with no scenario fails
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for sid in library.scenario_ids():
        if "snitching" not in library.scenario(sid).themes:
            (folder / f"{sid}.yaml").write_bytes(
                (library.scenario_dir / f"{sid}.yaml").read_bytes()
            )
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "geen scenario behandelt het begrip 'Snitching' uit hoofdstuk 3 van de leidraad" in out
    assert "Snitching" in out and "← geen scenario" in out


def test_check_prints_the_coverage_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "term (hoofdstuk 3)" in out and "brugklas" in out and "staff" in out
    assert main(["check", str(BROKEN / "scenarios" / "too-few-questions.yaml")]) == 1
    assert "term (hoofdstuk 3)" not in capsys.readouterr().out  # one draft: no matrix


def test_lesson_with_unknown_scenario(tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "les.yaml").write_text(
        'schema_version: 1\nid: "les"\ntitle: "Les"\nsummary: "S"\naudience: ["brugklas"]\n'
        'minutes: 30\nscenarios: ["bestaat-niet"]\n',
        encoding="utf-8",
    )
    _, problems = check_paths([tmp_path / "lessons"], Library(tmp_path))
    assert [str(p).split(": ", 1)[1] for p in problems] == [
        "/scenarios/0: geen scenario met id 'bestaat-niet' in de scenariobibliotheek"
    ]


def test_check_command_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert main(["check", str(BROKEN / "scenarios" / "unquoted-no.yaml")]) == 1
    out = capsys.readouterr().out
    assert "unquoted-no.yaml:3: /title: hier hoort tekst, maar er staat False" in out


@pytest.mark.parametrize(
    ("text", "promise"),
    [
        ("Dat bespreek ik dan eerst met jou.", True),
        ("Vertel wie je inschakelt en dat je dat eerst met de leerling bespreekt.", True),
        ("Dan blijft het tussen ons.", True),
        ("Als het kan, bespreek ik dat eerst met jou; je hoort altijd wat er gebeurt.", False),
        (
            "Ik doe niets zonder het eerst met jou te bespreken, behalve als iemand in gevaar is.",
            False,
        ),
        ("Ze praat eerst met haar zus of moeder.", False),
        # Round-3 review: "tegen"/"aan" and a name are the same promise.
        ("Dat zegt ze dan eerst tegen Kerem.", True),
        ("Een goede mentor vertelt dat eerst aan Kerem.", True),
        ("Moet er iemand bij komen, dan zegt de vertrouwenspersoon dat eerst tegen jou.", True),
        ("Als het kan, zegt ze dat eerst tegen Kerem, en hij hoort altijd wat er gebeurt.", False),
        ("‘Vraag het eerst aan Owen.’ Overleg eerst met de politie.", False),
    ],
)
def test_talking_it_over_first_is_a_promise_unless_it_says_when_it_cannot_be(
    text: str, promise: bool
) -> None:
    """Round-2 review: under the Meldcode acute danger can require acting before talking."""
    assert (secrecy_promise(text) is not None) == promise


def test_the_authoring_guides_example_passes_the_check(tmp_path: Path, library: Library) -> None:
    """Authors copy the example in docs/content-authoring.md: it must pass what it teaches."""
    guide = (Path(__file__).parents[1] / "docs" / "content-authoring.md").read_text("utf-8")
    example = guide.split("## 6. A short example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "beeldpesten-gymfoto-omstander.yaml"
    path.write_text(example, encoding="utf-8")
    assert check_paths([path], library)[1] == []
    path = tmp_path / "stock" / path.name  # another file: a loaded file is cached by its path
    path.parent.mkdir()
    path.write_text(example.replace("Elke keuze kost Iris iets.", "Er is niet één goed antwoord."
                                    " Niet doorsturen is in elk geval de beste stap."), "utf-8")  # fmt: skip
    assert "niet één goed antwoord" in str(check_paths([path], library)[1])  # the check can fail
