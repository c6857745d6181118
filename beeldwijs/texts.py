"""Every user-facing string goes through this module: ``t(key, **values)``. One door.

Dutch is the product's language and the source of every translation: :data:`NL` holds each text
by key; an entry that is a pair (singular, plural) is a plural text, chosen by the ``n`` it is
given (``t("dash.participants", n=3)``) with the language's own plural rule. Translations are
gettext catalogs in ``beeldwijs/locale/<language>/LC_MESSAGES/beeldwijs.po`` (compiled to ``.mo``
next to it), one message per key: the key is the message context, the Dutch text the message id.
A text added here reaches the catalogs with ``make texts`` (tools/texts.py): it extracts the
template, updates every catalog (a changed Dutch text marks its translation fuzzy: Dutch is shown
until a translator checks it) and compiles them. docs/texts.md says how to translate.

The language is one per process: ``BEELDWIJS_LANG`` at start (default ``nl``), and
:func:`set_language` in a student's own kernel when the student picks a language on the notice
screen (:data:`STUDENT_LANGUAGES`). Whatever is not translated stays Dutch.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import operator
from collections.abc import Iterator
from pathlib import Path

from beeldwijs import settings

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "beeldwijs"

#: the languages a student can pick for the screens' own texts (scenario texts stay Dutch)
STUDENT_LANGUAGES: dict[str, str] = {
    "nl": "Nederlands", "en": "English", "uk": "Українська", "ar": "العربية"
}  # fmt: skip

#: the language of the content: scenarios, lessons, help routes (marked ``lang`` on screen)
CONTENT_LANGUAGE = "nl"

#: languages written from right to left: the student chrome in them is mirrored (``dir="rtl"``)
RIGHT_TO_LEFT = frozenset({"ar"})

#: keys of the student screens' own texts ("chrome"): each is translated in every student language
STUDENT_CHROME = (
    "join.", "admission.", "full.", "intro.", "story.", "chat.", "question.", "scale.", "traffic_light.", "pace.",
    "end.heading", "end.body", "end.help", "end.recap_", "help.heading", "help.intro", "help.phone",
    "error.generic", "read.",
)  # fmt: skip

NL: dict[str, str | tuple[str, str]] = {
    # joining
    "join.heading": "Meedoen met de les",
    "join.ask_code": "Typ de code die je mentor op het scherm laat zien.",
    "join.code_label": "Code",
    "join.button": "Doe mee",
    "join.unknown": "De code {code} kennen we niet. Kijk nog eens goed op het scherm en typ de code hieronder.",
    "join.empty": "Er staat geen code in de link. Typ de code die je mentor op het scherm laat zien.",
    "join.closed": "De les met code {code} is al afgelopen. Vraag je mentor om de code van de les van nu.",
    "join.wrong_lesson": "Code {code} hoort bij een andere les. Open deze link: {url}",
    "admission.refused": "Met deze code kun je nu niet meedoen. Kijk nog eens goed op het scherm van je mentor en typ de code hieronder.",
    "admission.wait": "Je hebt het vaak achter elkaar geprobeerd. Wacht een minuut en probeer het dan opnieuw.",
    "admission.disconnected": "Verbinding verbroken, laad de pagina opnieuw.",
    "admission.reload": "Opnieuw laden",
    "full.heading": "De klas is vol",
    "full.body": "Deze computer kan nu niet nog een leerling toelaten.",
    "full.ask": "Vraag je mentor wat je kunt doen. Probeer het over een minuut opnieuw.",
    "login.title": "Inloggen op het dashboard",
    "login.intro": "Dit dashboard staat op een andere computer. Vul het wachtwoord in dat bij het starten van Beeldwijs is ingesteld.",
    "login.password": "Wachtwoord",
    "login.button": "Inloggen",
    "login.wrong": "Dit wachtwoord klopt niet. Probeer het opnieuw: na elke foute poging duurt het iets langer voordat je het opnieuw kunt proberen.",
    "login.https_only": "Inloggen op het dashboard kan vanaf een andere computer alleen via https: zo kan niemand op het netwerk het wachtwoord meelezen. Vraag de beheerder om het dashboard achter https te zetten, of log in op de computer zelf.",
    "join.store_down": "Het lukt nu even niet om mee te doen. Wacht een paar tellen en probeer het opnieuw.",
    # anonymity and ground rules
    "intro.heading": "Voordat je begint",
    "intro.anonymous": (
        "Je antwoorden zijn anoniem: je mentor kan niet zien wie wat antwoordt. "
        "Je naam wordt nergens gevraagd of bewaard. Open antwoorden leest je mentor zonder naam: "
        "schrijf er geen namen in, ook niet je eigen naam of iets waaraan iemand je herkent."
    ),
    "intro.not_for_reporting": (
        "Dit is geen plek om iets te melden. Gebeurt er echt iets met jou of iemand anders? "
        "Praat dan met je mentor of de vertrouwenspersoon, of kijk bij 'Hulp nodig?'."
    ),
    "intro.rules_heading": "Afspraken voor het gesprek",
    "intro.rules": (
        "We luisteren naar elkaar en lachen niemand uit.|"
        "Je mag altijd een vraag overslaan.|"
        "We noemen geen echte namen van leerlingen of docenten.|"
        "Vertel in de klas niets persoonlijks over jezelf of anderen. Wil je iets kwijt? "
        "Praat na de les met je mentor."
    ),
    # the same first screen for a team session (staff) and a parents' evening (parents)
    "intro.heading_staff": "Voordat u begint",
    "intro.anonymous_staff": (
        "Uw antwoorden zijn anoniem: wie de sessie leidt, ziet alleen hoe het team antwoordde, en pas "
        "als genoeg collega's een vraag beantwoordden. Uw naam wordt niet gevraagd of bewaard. "
        "Een open antwoord leest de gespreksleider eerst: schrijf er geen namen van leerlingen, "
        "ouders of collega's in."
    ),
    "intro.not_for_reporting_staff": (
        "Dit is een teamsessie, geen plek om een echt incident te melden. Speelt er nu iets? "
        "Volg het incidentprotocol van school, of kijk bij 'Hulp en advies voor school'."
    ),
    "intro.rules_heading_staff": "Afspraken voor de sessie",
    "intro.rules_staff": (
        "De verhalen zijn verzonnen: breng geen echte zaken van leerlingen in.|"
        "U mag altijd een vraag overslaan.|"
        "We noemen geen echte namen van leerlingen, ouders of collega's.|"
        "Het gaat om wat het team samen leert, niet om wie het goed had."
    ),
    "intro.heading_parents": "Voordat u begint",
    "intro.anonymous_parents": (
        "Uw antwoorden zijn anoniem: de school ziet niet wie wat antwoordt, en uw naam wordt nergens "
        "gevraagd of bewaard. De uitslag van een vraag komt pas in beeld als genoeg ouders "
        "antwoordden. Een open antwoord leest de gespreksleider eerst: schrijf er geen namen in, "
        "ook niet die van uw kind."
    ),
    "intro.not_for_reporting_parents": (
        "Dit is geen plek om iets over uw eigen kind te melden. Speelt er iets? Neem contact op met "
        "de mentor van uw kind of de vertrouwenspersoon van school, of kijk bij "
        "'Hulp en advies voor ouders'. Dreigt iemand nu met een foto van uw kind? Wacht dan niet: "
        "bel de politie (0900-8844, bij gevaar 112) of meld het bij HelpWanted."
    ),
    "intro.rules_heading_parents": "Afspraken voor vanavond",
    "intro.rules_parents": (
        "We luisteren naar elkaar en oordelen niet over andere ouders of kinderen.|"
        "U mag altijd een vraag overslaan.|"
        "We noemen geen namen van kinderen, ouders of medewerkers van school.|"
        "De verhalen zijn verzonnen. Wilt u iets over uw eigen kind bespreken? Dat kan na afloop, "
        "apart met de mentor of de vertrouwenspersoon."
    ),
    "intro.groups": "Jullie doen mee als groepje, met één telefoon of laptop: overleg en kies samen. Je mentor ziet alleen hoeveel groepjes iets kozen, en pas als genoeg groepjes antwoordden, zodat geen groepje herkenbaar is.",
    "intro.start": "Begin",
    "intro.language": "Taal · Language · Мова · اللغة",
    "intro.continue": "Verder waar je was",
    # scenario and questions
    "story.content_note": "Let op: {note}",
    "chat.image": "📷 Foto",
    "chat.video": "🎬 Video",
    "question.progress": "Vraag {n} van {total}",
    "question.skip": "Sla over / wil ik niet zeggen",
    "question.submit": "Verstuur",
    "question.next": "Volgende",
    "question.saved": "Opgeslagen ✓",
    "question.saving": "Bezig met opslaan…",
    "question.choose_first": "Kies eerst een antwoord (of 'Sla over').",
    "question.text_placeholder": "Schrijf hier je antwoord (geen namen)…",
    "question.text_count": "{n} van {max} tekens",
    "question.text_too_long": "Je antwoord is te lang: maximaal {max} tekens.",
    "question.retry": (
        "Je antwoord is nog niet opgeslagen. Het staat nog klaar: "
        "probeer het over een paar tellen opnieuw."
    ),
    "question.closed": "De les is afgesloten door je mentor. Je antwoord kon niet meer worden opgeslagen.",
    "question.expert_view": "Wat deskundigen zeggen",
    "question.discuss_first": (
        "Bespreek het eerst in de klas. Wat deskundigen zeggen, zie je hier zodra je mentor het "
        "laat zien."
    ),
    "question.explanation": "Uitleg",
    "question.correct": "Goed!",
    "question.incorrect": "Niet helemaal.",
    "question.text_private": (
        "Je mentor leest dit zonder je naam, en kan het zonder naam aan de klas laten zien. "
        "Schrijf geen namen, ook niet je eigen. Wil je iets melden? Praat na de les met je mentor "
        "of kijk bij 'Hulp nodig?'."
    ),
    "question.text_label": "Jouw antwoord",
    # "Lees voor": the browser reads a story, question or feedback aloud (widgets/reading.py)
    "read.button": "Lees voor",
    "read.stop": "Stop voorlezen",
    "read.story": "verhaal",
    "read.question": "vraag",
    "read.feedback": "uitleg",
    "scale.helemaal-oneens": "Helemaal oneens",
    "scale.oneens": "Oneens",
    "scale.neutraal": "Neutraal",
    "scale.eens": "Eens",
    "scale.helemaal-eens": "Helemaal eens",
    "traffic_light.groen": "Groen: oké",
    "traffic_light.oranje": "Oranje: twijfel",
    "traffic_light.rood": "Rood: niet oké",
    "pace.waiting": "Goed zo! Wacht even: je mentor opent zo de volgende vraag.",
    "pace.revote": "Nieuwe stemronde: je mentor vraagt deze vraag opnieuw, na het gesprek. Wat vind je nu?",
    # end
    "end.heading": "Klaar! Dank je wel.",
    "end.body": "Je antwoorden zijn opgeslagen. Kijk nu naar het scherm van je mentor.",
    "end.help": "Zit iets je dwars na deze les? Praat erover met iemand die je vertrouwt.",
    "end.recap_heading": "Wat deskundigen zeggen, per vraag",
    "end.recap_status": "De uitleg bij {n} van de {total} vragen staat hieronder.",
    "end.recap_none": "De uitleg bij de vragen komt hier te staan zodra je mentor die in de klas laat zien.",
    "end.recap_pending": "De rest komt hier te staan zodra je mentor het in de klas laat zien.",
    "end.recap_right": "Het goede antwoord: {answer}",
    "end.recap_closed": "Je mentor heeft de les afgesloten. De uitleg bij alle vragen staat hieronder.",
    "end.body_closed": "Je mentor heeft de les afgesloten. Wat je hebt beantwoord, is opgeslagen.",
    # help panel
    "help.heading": "Hulp nodig?",
    "help.intro": "Hier kun je terecht. Bij een aantal organisaties hieronder kun je anoniem bellen of chatten.",
    "help.heading_staff": "Hulp en advies voor school",
    "help.intro_staff": "Bij een incident met beelden kunt u hier terecht:",
    "help.heading_parents": "Hulp en advies voor ouders",
    "help.intro_parents": "Hier kunt u terecht, voor uzelf en voor uw kind:",
    "help.phone": "Bel {phone}.",
    # generic
    "error.generic": "Er ging iets mis. Probeer het opnieuw of vraag je mentor om hulp.",
    "cli.store_error": (
        "Beeldwijs kan de database {db} niet gebruiken ({detail}). Controleer of het bestand en "
        "de map schrijfbaar zijn, of de schijf niet vol is en of een PostgreSQL-server bereikbaar "
        "is; kies anders een andere plek met --db."
    ),
    # content check (beeldwijs check): the coverage matrix
    "check.coverage_heading": "Dekking: term uit hoofdstuk 3 van de leidraad × doelgroep → aantal scenario's",
    "check.coverage_term": "term (hoofdstuk 3)",
    "check.coverage_total": "totaal",
    "check.coverage_missing": "← geen scenario",
    "check.coverage_note": (
        "(Tussen haakjes: thema's buiten hoofdstuk 3. Een scenario telt mee bij elke doelgroep "
        "waarvoor het is geschreven; in 'totaal' telt het één keer.)"
    ),
    # messages for content authors: a scenario or lesson file with a problem (content/loader.py)
    "load.yes_no": "{value} (ja/nee-waarde: zet de tekst tussen aanhalingstekens)",
    "load.nothing": "niets",
    "load.a_number": "een getal",
    "load.a_list": "een lijst",
    "load.a_mapping": "een blok met sleutels",
    "load.expected_mapping": "hier hoort een blok met sleutels (sleutel: waarde), maar er staat {got}",
    "load.unknown_keys": (
        "onbekende sleutel {keys}; toegestaan: {allowed}",
        "onbekende sleutels {keys}; toegestaan: {allowed}",
    ),
    "load.missing": "ontbreekt (verplicht)",
    "load.expected_text": "hier hoort tekst, maar er staat {got}",
    "load.bad_id": "{value} is geen geldige id: alleen kleine letters, cijfers en streepjes",
    "load.not_one_of": "{value} kan niet: kies uit {allowed}",
    "load.expected_list": "hier hoort een lijst, maar er staat {got}",
    "load.too_few": (
        "hier hoort minstens {n} item, maar er staan er {got}",
        "hier horen minstens {n} items, maar er staan er {got}",
    ),
    "load.expected_flag": "hier hoort true of false, maar er staat {got}",
    "load.expected_number": "hier hoort een getal van {low} tot {high}, maar er staat {got}",
    "load.schema_version": "deze Beeldwijs leest schema_version {version}, het bestand heeft {got}",
    "load.id_not_file_name": "id {id} moet gelijk zijn aan de bestandsnaam {name}",
    "load.decision_without_protocol": "een beslissing heeft minstens één optie met verdict 'volgens-protocol' nodig",
    "load.correct_unknown": "{value} is niet de id van een van de opties",
    "load.expected_time": 'hier hoort een tijd zoals "08:40" tussen aanhalingstekens, maar er staat {got}',
    "load.too_many_options": "hoogstens {n} opties, er staan er {got}",
    "load.skip_id": "{id} komt vanzelf bij elke vraag; kies een andere id",
    "load.duplicate_option": "optie-id {id} staat er twee keer",
    "load.no_such_question": "geen vraag met id {id} in dit scenario",
    "load.trigger_on_open": "een trigger hoort bij een vraag met vaste antwoorden, niet bij een open vraag",
    "load.facts_are_ids": 'facts is een lijst met feit-id\'s, zoals ["belediging-smaad-laster"]; de uitspraak, bron en datums staan in beeldwijs/data/facts.yaml (zie beeldwijs facts)',
    "load.too_many_questions": "hoogstens {n} vragen per scenario, er staan er {got}",
    "load.decisions_for_staff": "beslisstappen zijn voor het team: een scenario met beslisstappen heeft alleen audience [staff]",
    "load.time_before": "{time} ligt vóór de stap ervoor ({previous})",
    "load.next_not_later": "{next} is geen latere vraag in dit scenario",
    "load.unreachable": "vraag {id} is onbereikbaar: geen stap leidt ernaartoe",
    "load.content_note_needed": "verplicht als content_warning {warning} is",
    "load.duplicate_question": "vraag-id {id} staat er twee keer",
    "load.part_scenario_or_title": "een onderdeel noemt óf een scenario óf een titel (precies één van de twee)",
    "load.part_questions": "discuss, skip en explain noemen vragen uit het scenario van dit onderdeel",
    "load.selfscan_with_scenarios": "een zelfscanles haalt haar vragen uit de checklist: haal scenarios of selfscan weg",
    "load.scenarios_missing": "ontbreekt (verplicht, behalve als de les selfscan: true heeft)",
    "load.no_such_scenario": "geen scenario met id {id} in de scenariobibliotheek",
    "load.selfscan_for_staff": 'een zelfscanles is alleen voor het team: audience ["staff"]',
    "load.title_en_pair": "de Engelse ouderbrief heeft title_en en summary_en allebei nodig",
    "load.expected_date": 'hier hoort een datum zoals "{example}", maar er staat {got}',
    "load.duplicate_fact": "feit-id {id} staat er twee keer",
    "load.duplicate_item": "item-id {id} staat er twee keer",
    "load.primary_source": "feit {id} heeft een primaire bron nodig: een https-adres op {hosts}, maar er staat {got}",
    "load.stale_fact": "feit {id} is voor het laatst nagekeken op {checked}, meer dan een jaar geleden: lees de bron opnieuw en werk de uitspraak en de datum bij",
    "load.cannot_read": "kan het bestand niet lezen: {reason}",
    "load.no_lesson_file": "dit lesbestand bestaat niet",
    "load.no_profile": "geen schoolprofiel: het hulppaneel en de ouderbrief noemen geen mensen van de school zelf (zie {example})",
    "load.route_needs": "hulplijn {id} buiten school heeft nog nodig: {fields}",
    "load.stale_route": "hulplijn {id} is voor het laatst nagekeken op {checked}, meer dan een jaar geleden",
    "load.no_such_file": "dit bestand bestaat niet",
    "load.expected_routes": "hier hoort een lijst met hulplijnen",
    "load.route_fields": "een hulplijn heeft id, name en text nodig; toegestaan: {allowed}",
    "load.bad_yaml": "geen geldige YAML: {problem}",
    # the linter's review rules for content authors (content/lint.py, level.py, readability.py,
    # letters.py, check.py); {word} and the like come quoted ('strafbaar')
    "lint.legal_without_fact": "juridische woorden ({word}) zonder feit: zet de id's van de feiten waarop de tekst steunt onder facts (beeldwijs facts toont ze)",
    "lint.secrecy": "belooft geheimhouding ({words}): niemand op school kan dat beloven (Meldcode); schrijf liever wat er gebeurt met wat iemand vertelt",
    "lint.own_experience": "vraagt naar de eigen ervaring van de leerling ({words}); vraag naar de verzonnen personen in het verhaal",
    "lint.no_one_answer": "zegt {stock} en noemt dan toch één antwoord ({best}): noem de beste stap gewoon, of zeg wat elke keuze kost",
    "lint.too_few_questions": "heeft minstens {minimum} vragen nodig, nu {n}",
    "lint.too_few_types": "heeft minstens {minimum} soorten vragen nodig, nu alleen {types}",
    "lint.unknown_chapter": "{chapter} is geen hoofdstuk van de leidraad; begin met een van: {chapters}",
    "lint.legal_theme_without_facts": "een scenario over juridisch heeft de id's van zijn juridische feiten nodig onder facts (beeldwijs facts toont ze)",
    "lint.lesson_minutes": "een les duurt {low} tot {high} minuten, deze {minutes}",
    "lint.not_for_audience": "scenario {id} is niet geschreven voor {missing} (zijn doelgroep: {audience})",
    "lint.no_guide": "een les heeft een mentorhandleiding nodig onder guide: goals, preparation, timing, skip_when_short, do_not_reveal, disclosure en follow_up",
    "lint.timing_sum": "de onderdelen tellen op tot {planned} minuten, de les duurt er {minutes}",
    "lint.timing_part": "scenario {id} hoort één onderdeel in de tijdsplanning te hebben, heeft er {n}",
    "lint.timing_estimate": "scenario {id} heeft ongeveer {minutes} minuten nodig (lezen {reading}, antwoorden {answering}, uitslag {results}, gesprek {discussion}), gepland {planned}",
    "lint.explain_and_skip": "vraag {id} staat onder explain en onder skip: een vraag waarvan de klas de uitleg moet lezen, sla je niet over",
    "lint.explain_nothing": "vraag {id} staat onder explain, maar heeft niets uit te leggen",
    "lint.threat_script": "een les over {themes} heeft het script voor dreigen met een foto nodig; het noemt niet: {missing} (schrijf het zoals lessons/onderbouw-druk-en-delen.yaml)",
    "lint.threat_facts": "het script voor dreigen met een foto steunt op feiten die de handleiding niet noemt: {facts}",
    "lint.explain_needed": 'vraag {id} noemt na het gesprek hulp of een veilige stap ({line}): zet hem onder explain ("Toon uitleg verplicht"), zodat elke klas het leest, ook als de tijd op is',
    "lint.content_minutes": "de inhoud heeft ongeveer {total} minuten nodig (met meedoen en afsluiten), de les duurt er {minutes}: haal een scenario weg of plan minder gesprekken",
    "lint.name_twice": "{name} is een personage in {id} en in {other} (les {lesson}), twee verhalen voor dezelfde klas ({audience}): geef een van beide een andere voornaam",
    "lint.too_hard": "moeilijker te lezen dan {level}: {problems}; schrijf kortere zinnen en gewone woorden",
    "lint.level_mismatch": "scenario {id} is geschreven op {level}; een les op {lesson_level} speelt alleen scenario's op {lesson_level}",
    "lint.mean_sentence": "zinnen van gemiddeld {mean} woorden (hoogstens {maximum})",
    "lint.long_sentence": "een zin van {n} woorden (hoogstens {maximum}): {sentence}",
    "lint.mean_syllables": "woorden van gemiddeld {mean} lettergrepen (hoogstens {maximum})",
    "lint.flesch_douma": "Flesch-Douma-score {score} (minstens {minimum})",
    "lint.letter_line": "regel {line}",
    "lint.not_a_fact": "{fact} is geen id van een feit (beeldwijs facts toont ze)",
    "lint.letter_legal_without_fact": "juridische woorden ({word}) zonder feit: sluit de alinea af met <!-- feiten: id, … --> (beeldwijs facts toont de id's)",
    "lint.uncovered_term": "geen scenario behandelt het begrip {term} uit hoofdstuk 3 van de leidraad",
    "check.warning": "waarschuwing: {problem}",
    "check.files": ("{n} bestand gecontroleerd", "{n} bestanden gecontroleerd"),
    "check.problems": ("{n} probleem", "{n} problemen"),
    "cli.purged": (
        "{n} sessie ouder dan {days} dagen verwijderd.",
        "{n} sessies ouder dan {days} dagen verwijderd.",
    ),
    "cli.removed": ("{n} sessie verwijderd.", "{n} sessies verwijderd."),
    "cli.closed": "Sessie {code} is gesloten.",
    "cli.session_error": "Sessie {code}: {error}",
    "cli.code": "Code: {code}",
    "cli.link": "Link: {url}",
    "cli.written": "Geschreven: {path}",
    # legal facts (beeldwijs facts, docs/facts.md, the mentor guide)
    "facts.heading": "Juridische feiten in de lessen",
    "facts.intro": (
        "Elke juridische zin in de lessen, de hulproutes, de zelfscan en de ouderbrief verwijst naar "
        "een van deze feiten. Per feit: wat het zegt, de primaire bron, sinds wanneer het geldt en "
        "wanneer het voor het laatst in die bron is nagelezen. Een feit dat langer dan een jaar niet "
        "is nagelezen, meldt beeldwijs check als waarschuwing."
    ),
    "facts.source": "Bron",
    "facts.valid_from": "Geldt sinds",
    "facts.checked": "Nagelezen op",
    "facts.note": "Let op",
    # the mentor guide (dashboard panel, beeldwijs handleiding)
    "guide.title": "Docentenhandleiding: {title}",
    "guide.meta": "Voor: {audience}. Duur: {minutes} minuten.",
    "guide.goals": "Doelen",
    "guide.preparation": "Voorbereiding",
    "guide.timing": "Tijdsplan",
    "guide.discuss": "Bespreek in de klas: {questions}",
    "guide.skip": "Bij tijdnood overslaan: {questions}",
    "guide.explain": "Toon uitleg verplicht, ook bij tijdnood (hulp en veiligheidsstappen): {questions}",
    "guide.opening": "Opening",
    "guide.skip_when_short": "Als de tijd op raakt",
    "guide.do_not_reveal": "Wanneer je een resultaat níet toont",
    "guide.disclosure": "Als een leerling iets vertelt",
    "guide.closing": "Afsluiting",
    "guide.follow_up": "Nazorg en vervolg",
    "guide.scenarios": "De verhalen en vragen",
    "guide.question": "Vraag {n}.",
    "guide.expert_view": "Uitleg voor de klas",
    "guide.prompts": "Gespreksvragen",
    "guide.facts": "De feiten achter de uitleg",
    "guide.fact_meta": "Bron: {source} ({url}). Geldt sinds {valid_from}; nagelezen op {checked}.",
    "guide.help": "Hulproutes in deze les",
    "guide.written": "Geschreven: {path}",
    "guide.panel_heading": "Docentenhandleiding",
    "guide.panel_before": "Voor de les",
    "guide.panel_during": "Bij dit verhaal",
    "guide.panel_facts": "Feiten achter de uitleg",
    "audience.brugklas": "brugklas",
    "audience.onderbouw": "onderbouw",
    "audience.bovenbouw": "bovenbouw",
    "audience.staff": "het team",
    "audience.ouders": "ouders",
    # staff decision steps (tabletop exercise)
    "decision.time": "Tijd: {time}",
    "decision.role": "Rol: {role}",
    "decision.protocol_route": "Volgens het protocol",
    "role.mentor": "mentor",
    "role.zorgcoordinator": "zorgcoördinator",
    "role.vertrouwenspersoon": "vertrouwenspersoon",
    "role.schoolleiding": "schoolleiding",
    "role.communicatie": "communicatie",
    "verdict.volgens-protocol": "Volgens het protocol",
    "verdict.deels": "Deels volgens het protocol",
    "verdict.niet-volgens-protocol": "Niet volgens het protocol",
    "protocol_step.definieren": "Stap 1: het probleem definiëren",
    "protocol_step.actie": "Stap 2: actie ondernemen",
    "protocol_step.communiceren": "Stap 3: communiceren",
    "team.title": "Teamresultaat",
    "team.hidden": "verborgen: minder dan {k} antwoorden",
    "team.share_axis": "% van de keuzes (sla over niet meegeteld)",
    "team.score_axis": "Score per stap van het protocol (volgens protocol = 100, deels = 50, niet = 0)",
    "team.score_label": "score",
    "team.no_score": "nog geen score",
    "team.step_summary": (
        "{label}: {volgens}% volgens protocol, {deels}% deels, {niet}% niet ({n} keuze)",
        "{label}: {volgens}% volgens protocol, {deels}% deels, {niet}% niet ({n} keuzes)",
    ),
    "team.score_summary": (
        "{label}: score {score} ({n} keuze)",
        "{label}: score {score} ({n} keuzes)",
    ),
    "team.parts": "Goed gedaan (score 75 of meer): {right}. Nog oefenen: {practise}.",
    "team.parts_none": "geen",
    # prevention self-scan (guide chapter 1) and its report
    "selfscan.heading": "Zelfscan preventiebeleid",
    "selfscan.intro": (
        "Hoe staat onze school ervoor bij de online verspreiding van ongewenste beelden? "
        "Beantwoord elke vraag met ja, deels, nee of weet ik niet. Alles wat geen ‘ja’ is, komt "
        "met een advies uit de leidraad van Kennisnet op de lijst ‘te doen’."
    ),
    "selfscan.school_label": "School",
    "selfscan.school_placeholder": "Naam van de school",
    "selfscan.answer.ja": "Ja",
    "selfscan.answer.deels": "Deels",
    "selfscan.answer.nee": "Nee",
    "selfscan.answer.weet-niet": "Weet ik niet",
    "selfscan.answer.niet-ingevuld": "Niet ingevuld",
    "selfscan.make_report": "Maak het verslag (Markdown en PDF)",
    "selfscan.busy": "Het verslag wordt gemaakt…",
    "selfscan.folder": "De verslagen komen in deze map op deze computer: {folder}",
    "selfscan.saved": "Opgeslagen: {md} en {pdf}",
    "selfscan.report_title": "Zelfscan preventiebeleid – {school}",
    "selfscan.report_meta": "Ingevuld op {date}. Gebaseerd op: {source}.",
    "selfscan.summary": "Overzicht",
    "selfscan.section": "Onderdeel",
    "selfscan.gaps_heading": ("Te doen: {n} punt", "Te doen: {n} punten"),
    "selfscan.no_gaps": "Geen open punten: alles is met ‘ja’ beantwoord.",
    "selfscan.advice": "Advies",
    "selfscan.in_place_heading": ("Al geregeld: {n} punt", "Al geregeld: {n} punten"),
    "selfscan.none_in_place": "Nog niets met ‘ja’ beantwoord.",
    "selfscan.footer": (
        "Gemaakt met Beeldwijs. Neem dit verslag mee naar het volgende overleg en spreek per punt af "
        "wie het oppakt en wanneer."
    ),
    "selfscan.chart_title": "Te doen per onderdeel",
    "selfscan.chart_axis": "aantal punten",
    # the self-scan as a team session (lesson with selfscan: true) and its team result
    "selfscan.team_story": (
        "Beantwoord elke vraag voor onze school, zoals jij het nu ziet. Er is geen goed of fout "
        "antwoord en niemand ziet wat jij kiest: het teamresultaat laat zien waar we het over "
        "eens zijn, waar niet, en wat nog niet iedereen weet.\n"
        "Uit de leidraad: {guide}."
    ),
    "selfscan.team_summary": "Onderdeel van de zelfscan: {guide}",
    "selfscan.prompt_differ": (
        "Bij welke vraag lopen onze antwoorden het verst uiteen? Wat weet de een dat de ander "
        "niet weet?"
    ),
    "selfscan.prompt_owner": (
        "Welk punt pakken we als eerste op, wie is de eigenaar en wanneer kijken we terug?"
    ),
    "selfscan.trigger_unknown": (
        "Een groot deel van het team weet dit niet. Wie kan uitleggen hoe het bij ons geregeld "
        "is, en hoe zorgen we dat iedereen het weet?"
    ),
    "selfscan.trigger_gap": (
        "Het team ziet hier vooral een gat. Toon het advies uit de leidraad en spreek af wie het "
        "oppakt."
    ),
    "scan.title": "Teamresultaat zelfscan: aandeel per antwoord en onderdeel",
    "scan.share_axis": "% van de antwoorden (sla over niet meegeteld)",
    "scan.hidden": "verborgen: minder dan {k} antwoorden",
    "scan.section_summary": (
        "{section}: {ja}% ja, {deels}% deels, {nee}% nee, {weet}% weet ik niet "
        "({n} antwoorden op {items} vragen{hidden})"
    ),
    "scan.section_hidden": "{section}: {hidden_text}",
    "scan.some_hidden": ("; {n} vraag nog verborgen", "; {n} vragen nog verborgen"),
    "scan.priorities": "Eerst oppakken ({n})",
    "selfscan.source": "Bron: {source}",
    "scan.priority": "{question} – {ja}% ja, {weet}% weet ik niet. Advies: {advice}",
    "scan.no_priorities": "Geen punt waar het team vooral een gat ziet of het niet weet.",
    # parent letter (beeldwijs letter)
    "letter.title": "Brief aan ouders – {school}",
    "letter.lesson_meta": "Ongeveer {minutes} minuten. Onderwerpen: {themes}.",
    "letter.phone": "Bel {phone}.",
    "letter.no_dates": "de komende weken",
    "letter.written": "Geschreven: {path}",
    "letter.lesson_dutch_title": "In het Nederlands: *{title}*",
    "letter.no_english_title": "Les {lesson} heeft geen Engelse titel: zet title_en en summary_en in het lesbestand, of laat de les weg uit de Engelse brief.",
    "letter.privacy_contact_unknown": "de functionaris gegevensbescherming (FG) van de school; de administratie geeft u de naam en het e-mailadres",
    "letter.incident_missing": "Een brief na een incident heeft --incident nodig: wat er gebeurde, in algemene woorden en zonder namen.",
    "theme.beeldpesten": "pesten met foto's en filmpjes",
    "theme.sexting": "sexting",
    "theme.shame-sexting": "foto's doorsturen zonder toestemming",
    "theme.slut-shaming": "meiden uitschelden om hun gedrag",
    "theme.victim-blaming": "de schuld bij het slachtoffer leggen",
    "theme.exposing": "expose-accounts",
    "theme.cyberbaiting": "docenten uitdagen en filmen",
    "theme.meme-account": "meme-accounts",
    "theme.snitching": "melden is geen klikken",
    "theme.ramptoerisme": "ongelukken en vechtpartijen filmen",
    "theme.juridisch": "wat de wet zegt",
    "theme.calamiteitenbeleid": "wat de school doet als het misgaat",
    "theme.preventie": "samen afspraken maken",
    "theme.afstandsonderwijs": "online lessen en screenshots",
    "theme.sextortion": "afpersing met een foto (sextortion)",
    "theme.deepfake": "nepfoto's en nepvideo's gemaakt met AI",
    "theme.doxing": "iemands adres of gegevens online zetten (doxing)",
    # facilitator
    "dash.title": "Beeldwijs – mentordashboard",
    "dash.pick_lesson": "Kies een les",
    "dash.start": "Start de les",
    "dash.starting": "De les wordt gestart…",
    "dash.lesson_meta": "{audience} · {minutes} minuten · thema's: {themes}",
    "dash.join_code": "Code",
    "dash.join_url": "Of ga naar",
    "dash.qr_text": "QR-code met de link om mee te doen: {url}",
    "dash.team_chart_text": "Diagram van het teamresultaat; hieronder staat het als tekst.",
    "dash.participants": ("{n} deelnemer", "{n} deelnemers"),
    "dash.class_size": "Leerlingen in de klas",
    # a lesson handed to a colleague, the admin's retention (beeldwijs.facilitator.colleagues)
    "hand.offer": "Geef deze les aan een collega",
    "hand.offered_code": "Code voor je collega:",
    "hand.offered": "Je collega logt in, vult de code in bij 'Les van een collega overnemen' op het startscherm en heeft dan de les. De code werkt één keer; een nieuwe code maakt deze ongeldig. Tot je collega de code gebruikt, blijft de les van jou.",
    "hand.gone": "Deze les is nu van je collega. Je ziet hem niet meer.",
    "hand.take_heading": "Les van een collega overnemen",
    "hand.code_label": "Code van je collega",
    "hand.take": "Les overnemen",
    "hand.empty": "Vul eerst de code van je collega in.",
    "hand.wrong": "Deze code klopt niet of is al gebruikt. Vraag je collega om een nieuwe code.",
    "retention.heading": "Bewaren en verwijderen",
    "retention.policy": "Bewaartermijn: {days} dagen. Lessen die ouder zijn: {n}.",
    "retention.purge": "Verwijder lessen ouder dan {days} dagen",
    "retention.question": "Alle lessen ouder dan {days} dagen en alle antwoorden erin worden definitief verwijderd, van alle mentoren. Doorgaan?",
    "retention.yes": "Ja, verwijderen",
    "retention.done": ("{n} les verwijderd.", "{n} lessen verwijderd."),
    # "can my students reach this?" (beeldwijs.facilitator.reach)
    "reach.loopback": "Let op: deze link werkt alleen op deze computer zelf ({host}). Leerlingen kunnen hem niet openen. Start Beeldwijs zonder --local, of vraag de ICT-beheerder naar de schoolserver.",
    "reach.private": "Let op: deze link gebruikt een adres binnen het netwerk ({host}). Alleen apparaten op hetzelfde wifi-netwerk als deze computer kunnen hem openen; leerlingen op 4G of op een gastennetwerk dat apparaten van elkaar afschermt niet. Laat de klas op hetzelfde wifi-netwerk komen, of vraag de ICT-beheerder naar de schoolserver met een vaste naam (https://…).",
    "reach.none": "Nog geen apparaat heeft de link geopend. Twijfel je of hij werkt? Open hem zelf op je telefoon, met wifi uit.",
    "reach.opened": (
        "{n} apparaat heeft de link geopend.",
        "{n} apparaten hebben de link geopend.",
    ),
    "reach.stuck": "Meer apparaten openden de link dan er meedoen. Laat een leerling de pagina opnieuw laden. Blijft het zo, dan laat het netwerk de verbinding met de server niet door (websockets): vraag de ICT-beheerder.",
    "dash.too_many": "{n} deelnemers, maar {size} leerlingen in de klas: doet iemand meerdere keren mee? Dan kan één echt antwoord herkenbaar worden; wacht met Toon resultaat.",
    "dash.close": "Sluit de les",
    "dash.hidden": "Nog verborgen: {n} van minimaal {k} antwoorden binnen.",
    "dash.answers": ("{n} antwoord", "{n} antwoorden"),
    "dash.new_round": "Nieuwe stemronde",
    "dash.round": "Ronde {n}",
    "dash.skipped": "sla over",
    "dash.prompts": "Gespreksvragen",
    "dash.correct_share": "{percent}% goed",
    "dash.scale_axis": (
        "% van {n} antwoord (sla over: {skipped})",
        "% van {n} antwoorden (sla over: {skipped})",
    ),
    "dash.reveal": "Toon resultaat",
    "dash.hide": "Verberg resultaat",
    "dash.waiting_for_reveal": (
        "{n} antwoord binnen. Het resultaat is verborgen tot jij het toont.",
        "{n} antwoorden binnen. Het resultaat is verborgen tot jij het toont.",
    ),
    "dash.expert": "Toon uitleg",
    "dash.must_explain": "Toon uitleg verplicht",
    "dash.expert_hide": "Verberg uitleg",
    "dash.expert_heading": "Uitleg voor de klas",
    "dash.pace_label": "Tempo",
    "dash.pace_student": "Leerlingen in eigen tempo",
    "dash.pace_presenter": "Ik bepaal het tempo",
    "dash.pause": "Pauze (zwart scherm)",
    "dash.approved_answers": "Goedgekeurde antwoorden",
    "dash.export": "Exporteer verslag (PDF, CSV en Excel)",
    "dash.exported": "Verslag opgeslagen in de map {folder}: {pdf} (verslag), {csv} en {xlsx} (tabellen).",
    "dash.preflight": "Speelt er op dit moment een incident met beelden in deze klas?",
    "dash.preflight_no": "Nee",
    "dash.preflight_yes": "Ja",
    "dash.preflight_advice": "Praat dan eerst met de betrokken leerling en de zorgcoördinator, voordat je dit thema klassikaal bespreekt. Kies hieronder welke thema's je nu wilt vermijden; de lijst toont alleen lessen zonder die thema's.",
    "dash.avoid_themes": "Vermijd thema's",
    "dash.no_lessons": "Geen les zonder deze thema's. Kies minder thema's om te vermijden.",
    "dash.resume_button": "Ga verder",
    # what the mentor starts: a lesson or one scenario (a losse casus), at B1 or A2; name swaps
    "case.title": "Losse casus: {title}",
    "dash.kind_label": "Wat start je?",
    "dash.kind_lesson": "Een hele les",
    "dash.kind_case": "Een losse casus (één verhaal)",
    "dash.level_label": "Taalniveau",
    "dash.level_B1": "Gewone versie (B1)",
    "dash.level_A2": "Eenvoudige versie (A2: korte zinnen, makkelijke woorden)",
    "dash.no_level": "Hiervan is nog geen eenvoudige versie. Kies de gewone versie of een andere les.",
    "names.heading": "Namen in het verhaal",
    "names.help": "Heet een personage net als iemand in de klas? Geef het voor deze les een andere naam. Kies een naam die past bij hoe het verhaal over het personage praat (hij of zij). Leerlingen zien de nieuwe naam binnen een paar seconden; doe het het liefst voordat de klas begint.",
    "names.keep": "{name} (zoals in de les)",
    "names.save": "Namen wisselen",
    "names.saved": "De namen zijn gewisseld. Leerlingen zien ze binnen een paar seconden.",
    "names.twice": "Twee personages krijgen nu dezelfde naam. Kies voor elk personage een andere naam.",
    "names.none": "In deze les komen geen voornamen voor die je kunt wisselen.",
    "mod.title": "Open antwoorden modereren",
    "mod.notice": "Alleen voor jou: zet dit niet op de beamer. Namen, telefoonnummers, e-mail en @accounts zijn al gemaskeerd; controleer toch elk antwoord.",
    "mod.approve": "Goedkeuren",
    "mod.hide": "Verbergen",
    "mod.delete": "Verwijderen",
    "mod.status.new": "nieuw",
    "mod.status.approved": "goedgekeurd",
    "mod.status.hidden": "verborgen",
    "mod.confirm_delete": "Echt verwijderen?",
    "mod.none": "Nog geen open antwoorden.",
    "mod.unknown": "Geen les met code {code}.",
    "over.title": "Overzicht over klassen heen",
    "over.pick": "Les",
    "over.sessions": (
        "{n} sessie · {participants} deelnemers in totaal",
        "{n} sessies · {participants} deelnemers in totaal",
    ),
    "over.trend": "Per sessie (alleen sessies met minstens {k} antwoorden)",
    "over.export": "Exporteer overzicht (CSV)",
    "over.none": "Nog geen sessies van deze les.",
    "report.hidden": "Verborgen: minder dan {k} antwoorden.",
    "report.title": "Beeldwijs – {lesson}",
    "report.meta": (
        "Sessie {code} · {date} · {n} deelnemer",
        "Sessie {code} · {date} · {n} deelnemers",
    ),
    "report.k_rule": "Resultaten worden alleen getoond vanaf {k} antwoorden per vraag.",
    "report.totals_only": "Dit verslag bevat alleen totalen: geen antwoorden per leerling.",
    "report.triggered": "Opgevallen patroon",
    "dash.team_result": "Teamresultaat: de keuzes naast het protocol",
    # beeldwijs start (the terminal of the machine that runs it)
    "server.students": "Leerlingen: {url}",
    "server.facilitator": "Mentor (dashboard): {url}",
    "server.how_to_stop": "Stoppen: Ctrl-C",
    "server.starting": "Beeldwijs start de Voilà-servers …",
    "server.stopping": "Beeldwijs stopt de servers …",
    "server.student_server": "leerlingenserver",
    "server.student_server_n": "leerlingenserver {n}",
    "server.proxy": "nginx (verdeelt de leerlingen over {n} servers)",
    "server.no_nginx": "Voor --student-servers is nginx nodig; installeer het Debian-pakket nginx-light (tools/system-deps.sh).",
    "server.facilitator_server": "mentorserver",
    "server.port_in_use": "Poort {port} is al in gebruik; kies een andere poort met {option}.\nPort {port} is already in use; choose another port with {option}.",
    "server.same_ports": "De leerlingenserver en de mentorserver hebben elk een eigen poort nodig (--student-port en --facilitator-port zijn nu allebei {port}).",
    "server.missing_folder": "Map {folder} ontbreekt; die moet de notebooks voor de {server} bevatten.",
    "server.missing_dashboard": "{path} ontbreekt; de mentorserver heeft het dashboard nodig.",
    "server.db_in_served_folder": "De database {db} staat in een map die Voilà serveert ({folder}). Zet de database ergens anders neer.",
    "server.died_at_start": "De {server} kon niet starten (exitcode {code}). Zie de meldingen van Voilà hierboven.",
    "server.restarting": "De {server} is onverwacht gestopt (exitcode {code}); Beeldwijs start hem opnieuw. Leerlingen laden hun pagina opnieuw en gaan verder waar ze waren.",
    "server.stale_folders": (
        "{n} tijdelijke map van een eerder vastgelopen start opgeruimd.",
        "{n} tijdelijke mappen van een eerder vastgelopen start opgeruimd.",
    ),
    "server.died": "De {server} is onverwacht gestopt (exitcode {code}); Beeldwijs stopt ook de {other}.",
    "server.startup_timeout": "De {server} antwoordde niet binnen {seconds:.0f} seconden; Beeldwijs stopt.",
    "server.cell_error": "Er ging iets mis op deze pagina. Laad de pagina opnieuw of vraag je docent om hulp.",
    "server.cell_timeout": "Het laden duurde te lang. Laad de pagina opnieuw of vraag je docent om hulp.",
    # the student page's front end (frontend/), in a widget's place while it comes and when it cannot
    "server.widget_loading": "Bezig met laden…",
    "server.widget_failed": "Dit deel van de pagina lukt niet. Laad de pagina opnieuw.",
    "oidc.login_title": "Inloggen bij Beeldwijs",
    "oidc.login_intro": "Mentoren en collega's loggen in met hun schoolaccount. Je ziet daarna alleen je eigen lessen.",
    "oidc.login_button": "Inloggen met je schoolaccount",
    "oidc.login_students": "Leerling? Je hoeft niet in te loggen: scan de QR-code die je mentor laat zien.",
    "oidc.logout_title": "Je bent uitgelogd",
    "oidc.logged_out": "Je bent uitgelogd bij Beeldwijs. Je schoolaccount zelf blijft ingelogd in deze browser: sluit de browser als je een gedeelde computer gebruikt.",
    "oidc.login_again": "Opnieuw inloggen",
    "oidc.provider_down": "De inlogdienst van de school is nu niet bereikbaar. Probeer het over een paar minuten opnieuw of meld het bij de ICT-beheerder.",
    "oidc.flow_expired": "Het inloggen duurde te lang of is in een ander tabblad begonnen. Begin opnieuw.",
    "oidc.denied": "Het inloggen is afgebroken of geweigerd.",
    "oidc.failed": "Het inloggen is niet gelukt: de school kon je account niet bevestigen. Probeer het opnieuw; lukt het weer niet, meld het bij de ICT-beheerder.",
    "oidc.missing_settings": "Voor inloggen met schoolaccounts ontbreken deze instellingen: {names} (zie docs/container.md).",
    "oidc.short_secret": "BEELDWIJS_SECRET moet minstens 32 tekens lang zijn (bijvoorbeeld: openssl rand -hex 32).",
    "container.no_login": "De mentorserver in een container is vanaf het netwerk bereikbaar en start alleen met een login: stel inloggen met schoolaccounts in (BEELDWIJS_OIDC_ISSUER …) of zet BEELDWIJS_FACILITATOR_PASSWORD (zie docs/container.md).",
    "container.serving": "Beeldwijs start de {server} op poort {port}.",
    "server.facilitator_needs_password": "Met --facilitator-host {host} is het dashboard ook vanaf andere computers te bereiken. Dat mag alleen met een wachtwoord: zet het in de omgevingsvariabele BEELDWIJS_FACILITATOR_PASSWORD (zie docs/security.md).",
    "dash.store_down": "De database reageert even niet; het dashboard probeert het zo opnieuw.",
    # the first screen (issue 14)
    "start.running_heading": "Lopende lessen",
    "start.running_row": "{code} · {lesson} · {label} · begonnen {when}",
    "start.no_label": "zonder klas",
    "start.today": "vandaag {time}",
    "start.on_day": "{day} {time}",
    "start.pick_prompt": "Kies een les om te beginnen. Hieronder staan alle lessen, per doelgroep.",
    "start.placeholder": "— kies een les —",
    "start.choose_first": "Kies eerst een les in de lijst.",
    "start.catalogue_heading": "Alle lessen",
    "start.lesson_line": "{minutes} minuten · {themes}",
    "start.class_label": "Klas (bijvoorbeeld 2B; geen namen)",
    "start.pace_help": "Eigen tempo: iedereen gaat zelf door de vragen. Ik bepaal het tempo: jij opent de vragen één voor één, samen met wat de beamer laat zien.",
    "start.mode_label": "Lesvorm",
    "start.mode_devices": "Een apparaat per leerling",
    "start.mode_groups": "Groepjes: één apparaat per 2–4 leerlingen",
    "start.mode_none": "Zonder apparaten: handen of antwoordkaarten",
    "start.mode_help": "Zonder apparaten laat de beamer het verhaal en de antwoorden A–D zien; jij telt de handen of kaarten en vult de aantallen in (of slaat tellen over).",
    "start.audience.brugklas": "Brugklas",
    "start.audience.onderbouw": "Onderbouw",
    "start.audience.bovenbouw": "Bovenbouw",
    "start.audience.staff": "Team en schoolleiding",
    "start.audience.ouders": "Ouders",
    "start.audience_and": " en ",
    # the presenting view (issue 14)
    "present.slide_of": "{n} / {total}",
    "present.next": "Volgende",
    "present.pause": "Pauze",
    "present.previous": "Vorige",
    "present.question_of": "Vraag {n} van {total}",
    "present.keys": "Toetsen: → volgende · ← vorige · T toon of verberg resultaat · U toon of verberg uitleg · N nieuwe stemronde · B zwart scherm",
    "present.prompts_heading": "Praat erover",
    "present.join_devices": "Doe mee op je telefoon of laptop",
    "present.join_groups": "Doe mee met je groepje: één telefoon of laptop per groepje",
    "present.join_none": "Deze les doen we zonder apparaten: steek je hand op of houd je antwoordkaart omhoog.",
    "present.ended": "De les is afgelopen",
    "present.ended_note": "Bedankt voor het meedoen. Er kunnen geen antwoorden meer bij.",
    "present.all_results": "Alle resultaten (voor jou)",
    "present.mentor_heading": "Alleen voor jou",
    "dash.groups": (
        "{n} groepje doet mee",
        "{n} groepjes doen mee",
    ),
    "dash.no_devices": "Zonder apparaten: jij telt de handen of kaarten.",
    # safe endings (issue 14)
    "end.confirm_close": "Ja, sluit de les",
    "end.cancel": "Annuleer",
    "end.close_question": "De les sluiten? Leerlingen kunnen daarna niet meer antwoorden.",
    "end.closed": "De les is gesloten. Je kunt dit nog {minutes} minuten ongedaan maken.",
    "end.undo": "Ongedaan maken",
    "end.undone": "De les is weer open.",
    "end.too_late": "Te laat om te herstellen: de les is langer dan {minutes} minuten gesloten.",
    "end.confirm_revote": "Ja, nieuwe stemronde",
    "end.revote_question": "Een nieuwe stemronde? De klas stemt opnieuw; de vorige ronde blijft bewaard.",
    "end.home": "Naar het beginscherm",
    "end.pause_resume": "Verder (of druk op B)",
    # counts entered by the mentor (issue 14)
    "tally.heading": "Tel de handen of kaarten",
    "tally.save": "Zet in de grafiek",
    "tally.skip": "Niet tellen",
    "tally.saved": "Aantallen opgeslagen.",
    "tally.skipped": "Niet geteld; je kunt door naar de volgende.",
    "tally.bad": "Vul bij {label} een heel getal van 0 of meer in.",
    "dash.moderate_waiting": (
        "{n} open antwoord wacht op jouw controle (modereren doe je op je eigen telefoon).",
        "{n} open antwoorden wachten op jouw controle (modereren doe je op je eigen telefoon).",
    ),
    "over.alt": "Per klas het aandeel van elke keuze in procenten",
    "over.exported": "Overzicht opgeslagen in de map {folder}: {csv} en {xlsx}.",
    "chart.alt_bars": "Staafdiagram met het aantal antwoorden per keuze",
    "chart.alt_scale": "Verdeling van de antwoorden van oneens tot eens, in procenten",
    "chart.alt_words": "Woordwolk van de goedgekeurde antwoorden",
    "cards.title": "Scenariokaarten: {lesson}",
    "cards.intro": "Voor een les zonder apparaten: lees het verhaal samen en kies bij elke vraag een letter. Steek je antwoordkaart omhoog als de mentor erom vraagt.",
    "cards.question": "Vraag {n}: {prompt}",
    "cards.open": "Open vraag: bespreek het in je groepje of in de klas.",
    "cards.answer_title": "Antwoordkaarten A–D",
    "cards.answer_intro": "Print de volgende bladzijde één keer per leerling en knip langs de stippellijnen.",
    "cards.button": "Kaarten printen (PDF)",
    "cards.written": "Kaarten opgeslagen in de map {folder}: {scenarios} en {answers}.",
    # the moderation link (issue 14)
    "modlink.show": "Modereren op je telefoon",
    "modlink.hide": "Verberg de moderatielink",
    "modlink.qr_text": "QR-code met de moderatielink voor je eigen telefoon",
    "modlink.note": "Scan met je eigen telefoon, niet op de beamer. De link werkt alleen voor deze les en zolang die loopt; een nieuwe link maakt de vorige ongeldig.",
    "mod.no_access": "Deze moderatielink werkt niet (meer). Open de moderatie opnieuw via het dashboard.",
}


_language = "nl"


@functools.lru_cache(maxsize=8)
def _catalog(code: str) -> gettext.NullTranslations:
    """``code``'s compiled catalog, read once; none (Dutch) for ``nl`` or a language without one."""
    if (
        code.isascii()
        and code.isalpha()
        and code != "nl"
        and (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()
    ):
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])
    return gettext.NullTranslations()


def set_language(code: str) -> str:
    """Use ``code``'s catalog from now on in this process (Dutch when there is none); returns
    the language now in use."""
    global _language
    _language = code if isinstance(_catalog(code), gettext.GNUTranslations) else "nl"
    return _language


@contextlib.contextmanager
def speaking(code: str) -> Iterator[str]:
    """:func:`set_language` for the lines inside the ``with`` only (a page the server writes in a
    student's language, synchronously; the language in use before is restored)."""
    before = _language
    try:
        yield set_language(code)
    finally:
        set_language(before)


def language() -> str:
    """The language in use ("nl", "en", "uk", …)."""
    return _language


def student_language(code: object) -> str:
    """``code`` when a student can pick it (:data:`STUDENT_LANGUAGES`), else Dutch: for a
    language that comes from the browser (a cookie, an address)."""
    return code if isinstance(code, str) and code in STUDENT_LANGUAGES else "nl"


def direction(lang: str | None = None) -> str:
    """``"rtl"`` or ``"ltr"``: the writing direction of ``lang`` (default: the language in use)."""
    return "rtl" if (lang or _language) in RIGHT_TO_LEFT else "ltr"


def t(key: str, /, **values: object) -> str:
    """The text for ``key`` in the language in use, with ``{placeholders}`` filled in; a plural
    text takes the form for ``n``."""
    return t_in(_language, key, **values)


def t_in(lang: str, key: str, /, **values: object) -> str:
    """:func:`t` in ``lang`` whatever the language in use (a letter in English); Dutch
    where ``lang`` has no catalog or no translation of ``key``."""
    catalog = _catalog(lang)
    source = NL[key]
    if isinstance(source, tuple):
        try:  # an int or numpy's integers; not a float, not missing
            n = operator.index(values["n"])  # type: ignore[arg-type]
        except (KeyError, TypeError):
            raise TypeError(f"{key} is a plural text: give its count as n") from None
        template = catalog.npgettext(key, source[0], source[1], n)
    else:
        template = catalog.pgettext(key, source)
    return template.format(**values) if values else template


set_language(settings.value("screen_language"))
