"""Strict loading of scenario and lesson files.

Every problem found in a file is collected and raised together as one ContentError whose lines name
the file, the YAML line and the key path ("scenarios/x.yaml:12: /questions/0/type: ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from beeldwijs.content import model as m
from beeldwijs.content.yamlsource import Lines, read_yaml
from beeldwijs.errors import ContentError, ContentProblem
from beeldwijs.texts import t

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return t("load.yes_no", value=value)
    if value is None:
        return t("load.nothing")
    kind = {
        int: t("load.a_number"),
        float: t("load.a_number"),
        list: t("load.a_list"),
        dict: t("load.a_mapping"),
    }.get(type(value), type(value).__name__)
    shown = repr(value) if not isinstance(value, list | dict) else ""
    return f"{shown} ({kind})".strip() if shown else kind


class Checker:
    """Collects problems while reading one file; each read returns a value or None.

    Also used for the other YAML data files (the self-scan checklist), so that every file gives
    the same kind of message: file, YAML line, key path, what was expected and what came.
    """

    def __init__(self, file: str, lines: Lines) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[ContentProblem] = []

    def fail(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        if line is None:  # a missing key: point at its parent mapping
            parent = path.rsplit("/", 1)[0]
            line = self.lines.get(parent)
        self.problems.append(ContentProblem(self.file, path, message, line))

    def mapping(
        self, value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, t("load.expected_mapping", got=_describe(value)))
            return None
        required, optional = tuple(required), tuple(optional)
        unknown = [k for k in value if k not in required and k not in optional]
        if unknown:
            allowed = ", ".join(required + optional)
            names = ", ".join(map(str, unknown))
            self.fail(path, t("load.unknown_keys", n=len(unknown), keys=names, allowed=allowed))
        for key in required:
            if key not in value:
                self.fail(f"{path}/{key}", t("load.missing"))
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        if key not in data:
            return None  # reported by mapping() when required
        return self.text_value(data[key], f"{path}/{key}")

    def text_value(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, t("load.expected_text", got=_describe(value)))
            return None
        return value.strip()

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str | None:
        value = self.text(data, key, path)
        if value is not None and not _ID.match(value):
            self.fail(f"{path}/{key}", t("load.bad_id", value=repr(value)))
            return None
        return value

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...]
    ) -> str | None:
        if key not in data:
            return None
        return self.choice_value(data[key], f"{path}/{key}", allowed)

    def choice_value(self, raw: Any, path: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text_value(raw, path)
        if value is not None and value not in allowed:
            self.fail(path, t("load.not_one_of", value=repr(value), allowed=", ".join(allowed)))
            return None
        return value

    def items(self, data: Mapping[str, Any], key: str, path: str, minimum: int = 0) -> list[Any]:
        if key not in data:
            return []
        value = data[key]
        if not isinstance(value, list):
            self.fail(f"{path}/{key}", t("load.expected_list", got=_describe(value)))
            return []
        if len(value) < minimum:
            self.fail(f"{path}/{key}", t("load.too_few", n=minimum, got=len(value)))
        return value

    def texts(
        self, data: Mapping[str, Any], key: str, path: str, minimum: int = 0
    ) -> tuple[str, ...]:
        values = self.items(data, key, path, minimum)
        found = [self.text_value(v, f"{path}/{key}/{i}") for i, v in enumerate(values)]
        return tuple(v for v in found if v is not None)

    def choices(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        allowed: tuple[str, ...],
        minimum: int = 1,
    ) -> tuple[str, ...]:
        values = self.items(data, key, path, minimum)
        found = [self.choice_value(v, f"{path}/{key}/{i}", allowed) for i, v in enumerate(values)]
        return tuple(v for v in found if v is not None)

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}/{key}", t("load.expected_flag", got=_describe(value)))
            return default
        return value

    def number(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        low: float,
        high: float,
        kind: type = int,
    ) -> Any:
        value = data.get(key)
        ok = isinstance(value, kind | int) and not isinstance(value, bool)
        if not ok or not low <= float(value) <= high:  # type: ignore[arg-type]
            self.fail(
                f"{path}/{key}", t("load.expected_number", low=low, high=high, got=_describe(value))
            )
            return None
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


def _check_version(c: Checker, data: Mapping[str, Any]) -> None:
    version = data.get("schema_version")
    if "schema_version" in data and version != m.SCHEMA_VERSION:
        c.fail(
            "/schema_version",
            t("load.schema_version", version=m.SCHEMA_VERSION, got=_describe(version)),
        )


def _check_id_matches_file(c: Checker, ident: str | None, file: Path) -> None:
    if ident is not None and ident != file.stem:
        c.fail("/id", t("load.id_not_file_name", id=repr(ident), name=repr(file.stem)))


_QUESTION_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (required keys, optional keys) besides id, type and prompt
    "dilemma": (("options", "expert_view"), ("facts",)),
    "scale": ((), ("expert_view", "facts")),
    "knowledge": (("options", "correct", "explanation"), ("facts",)),
    "traffic_light": ((), ("expert_view", "facts")),
    "text": ((), ("max_length", "facts")),
    "decision": (("time", "options"), ("role", "facts")),
}
#: the incident clock: "08:40", or on a later day of the incident "dag 2 08:30" (aftercare)
_TIME = re.compile(r"^(dag [2-9] )?([01]\d|2[0-3]):[0-5]\d$")
#: At most this many questions; a tabletop (decision steps) has a step per moment plus reflection.
MAX_QUESTIONS = 6
MAX_QUESTIONS_TABLETOP = 11


def _read_question(
    c: Checker, raw: Any, path: str, scenario_id: str, fact_ids: tuple[str, ...]
) -> m.Question | None:
    if not isinstance(raw, dict):
        c.fail(path, t("load.expected_mapping", got=_describe(raw)))
        return None
    qtype = c.choice(raw, "type", path, m.QUESTION_TYPES) if "type" in raw else None
    if "type" not in raw:
        c.fail(f"{path}/type", t("load.missing"))
    required, optional = _QUESTION_KEYS.get(qtype or "", ((), ()))
    if qtype is None:  # cannot know the allowed keys; check only the common ones
        optional = tuple(k for keys in _QUESTION_KEYS.values() for k in keys[0] + keys[1])
    data = c.mapping(raw, path, ("id", "type", "prompt") + required, optional)
    if data is None or qtype is None:
        return None
    qid = c.ident(data, "id", path)
    prompt = c.text(data, "prompt", path)
    options = (
        _read_options(c, data, path, decision=qtype == "decision") if "options" in required else ()
    )
    time = role = None
    if qtype == "decision":
        time = _read_time(c, data, path)
        role = c.choice(data, "role", path, m.STAFF_ROLES)
        verdicts = [o.verdict for o in options]
        if verdicts and None not in verdicts and "volgens-protocol" not in verdicts:
            c.fail(
                f"{path}/options",
                t("load.decision_without_protocol"),
            )
    correct = None
    if qtype == "knowledge":
        correct = c.text(data, "correct", path)
        if correct is not None and correct not in {o.id for o in options}:
            c.fail(f"{path}/correct", t("load.correct_unknown", value=repr(correct)))
    max_length = m.MAX_TEXT_LENGTH
    if "max_length" in data:
        max_length = c.number(data, "max_length", path, 1, m.MAX_TEXT_LENGTH) or m.MAX_TEXT_LENGTH
    if qid is None or prompt is None:
        return None
    if qtype == "scale":
        options = tuple(m.Option(i, i) for i in m.SCALE_IDS)
    elif qtype == "traffic_light":
        options = tuple(m.Option(i, i) for i in m.TRAFFIC_LIGHT_IDS)
    return m.Question(
        scenario_id=scenario_id,
        id=qid,
        type=qtype,
        prompt=prompt,
        options=options,
        correct=correct,
        explanation=c.text(data, "explanation", path),
        expert_view=c.text(data, "expert_view", path),
        max_length=max_length,
        time=time,
        role=role,
        facts=_read_fact_ids(c, data, path, fact_ids),
    )


def _clock(time: str) -> tuple[int, str]:
    """(day, "HH:MM") of an incident clock time, for ordering the steps."""
    day, _, clock = time.rpartition(" ")
    return (int(day.split()[-1]) if day else 1, clock)


def _read_time(c: Checker, data: Mapping[str, Any], path: str) -> str | None:
    value = data.get("time")
    if "time" in data and not (isinstance(value, str) and _TIME.match(value.strip())):
        c.fail(f"{path}/time", t("load.expected_time", got=_describe(value)))
        return None
    return value.strip() if isinstance(value, str) else None


_DECISION_OPTION_KEYS = ("id", "text", "verdict", "feedback", "protocol_step")


def _read_options(
    c: Checker, data: Mapping[str, Any], path: str, *, decision: bool = False
) -> tuple[m.Option, ...]:
    options: list[m.Option] = []
    raw_options = c.items(data, "options", path, minimum=2)
    if len(raw_options) > 5:
        c.fail(f"{path}/options", t("load.too_many_options", n=5, got=len(raw_options)))
    for i, raw in enumerate(raw_options):
        opath = f"{path}/options/{i}"
        if decision:
            odata = c.mapping(raw, opath, _DECISION_OPTION_KEYS, ("next",))
        else:
            odata = c.mapping(raw, opath, ("id", "text"))
        if odata is None:
            continue
        oid, text = c.ident(odata, "id", opath), c.text(odata, "text", opath)
        extra: dict[str, str | None] = {}
        if decision:
            extra = {
                "verdict": c.choice(odata, "verdict", opath, m.VERDICTS),
                "feedback": c.text(odata, "feedback", opath),
                "protocol_step": c.choice(odata, "protocol_step", opath, m.PROTOCOL_STEPS),
                "next": c.ident(odata, "next", opath) if "next" in odata else None,
            }
        if oid == m.SKIP:
            c.fail(
                f"{opath}/id",
                t("load.skip_id", id=repr(m.SKIP)),
            )
        elif oid in {o.id for o in options}:
            c.fail(f"{opath}/id", t("load.duplicate_option", id=repr(oid)))
        elif oid is not None and text is not None:
            options.append(m.Option(oid, text, **extra))
    return tuple(options)


def _read_chat(c: Checker, raw: Any, path: str) -> m.Chat | None:
    data = c.mapping(raw, path, ("platform", "title", "messages"))
    if data is None:
        return None
    platform = c.choice(data, "platform", path, m.PLATFORMS)
    title = c.text(data, "title", path)
    messages = []
    for i, rawmsg in enumerate(c.items(data, "messages", path, minimum=1)):
        mpath = f"{path}/messages/{i}"
        mdata = c.mapping(rawmsg, mpath, ("from", "text"), ("me", "kind"))
        if mdata is None:
            continue
        sender, text = c.text(mdata, "from", mpath), c.text(mdata, "text", mpath)
        kind = c.choice(mdata, "kind", mpath, m.MESSAGE_KINDS) if "kind" in mdata else "text"
        me = c.flag(mdata, "me", mpath, default=False)
        if sender is not None and text is not None and kind is not None:
            messages.append(m.ChatMessage(sender, text, me, kind))
    if platform is None or title is None:
        return None
    return m.Chat(platform, title, tuple(messages))


def _read_story(c: Checker, raw: Any, path: str) -> m.Story | None:
    data = c.mapping(raw, path, ("text",), ("chat",))
    if data is None:
        return None
    text = c.text(data, "text", path)
    chat = _read_chat(c, data["chat"], f"{path}/chat") if "chat" in data else None
    return m.Story(text, chat) if text is not None else None


def _read_trigger(
    c: Checker, raw: Any, path: str, questions: Mapping[str, m.Question]
) -> m.Trigger | None:
    data = c.mapping(raw, path, ("question", "answers", "min_share", "prompt"))
    if data is None:
        return None
    qid = c.text(data, "question", path)
    question = questions.get(qid or "")
    if qid is not None and question is None:
        c.fail(f"{path}/question", t("load.no_such_question", id=repr(qid)))
    allowed = question.option_ids() if question is not None else ()
    if question is not None and question.is_open:
        c.fail(f"{path}/question", t("load.trigger_on_open"))
    answers = c.choices(data, "answers", path, allowed) if question is not None else ()
    share = c.number(data, "min_share", path, 0.0, 1.0, kind=float)
    prompt = c.text(data, "prompt", path)
    if qid is None or share is None or prompt is None or not answers:
        return None
    return m.Trigger(qid, answers, float(share), prompt)


def _read_fact_ids(
    c: Checker, data: Mapping[str, Any], path: str, known: tuple[str, ...]
) -> tuple[str, ...]:
    """The ids under ``facts``: each must be a fact of the facts file (``beeldwijs facts``)."""
    raw = data.get("facts")
    if isinstance(raw, list) and any(isinstance(item, dict) for item in raw):
        c.fail(
            f"{path}/facts",
            t("load.facts_are_ids"),
        )
        return ()
    return c.choices(data, "facts", path, known) if "facts" in data else ()


def _check_questions(c: Checker, questions: list[m.Question], audience: tuple[str, ...]) -> None:
    """Question count, and the rules of decision steps: staff only, clock forward, branches forward."""
    decisions = [i for i, q in enumerate(questions) if q.type == "decision"]
    most = MAX_QUESTIONS_TABLETOP if decisions else MAX_QUESTIONS
    if len(questions) > most:
        c.fail("/questions", t("load.too_many_questions", n=most, got=len(questions)))
    if not decisions:
        return
    if audience and set(audience) != {"staff"}:
        c.fail(
            "/audience",
            t("load.decisions_for_staff"),
        )
    ids = [q.id for q in questions]
    previous: str | None = None
    for i in decisions:
        q = questions[i]
        if q.time is not None and previous is not None and _clock(q.time) < _clock(previous):
            c.fail(f"/questions/{i}/time", t("load.time_before", time=q.time, previous=previous))
        previous = q.time or previous
        for j, option in enumerate(q.options):
            if option.next is not None and option.next not in ids[i + 1 :]:
                c.fail(
                    f"/questions/{i}/options/{j}/next",
                    t("load.next_not_later", next=repr(option.next)),
                )
    following = dict(zip(ids, [*ids[1:], None], strict=True))
    reached = {ids[0]}
    for q in questions:  # branches point forward, so one pass in file order finds every path
        if q.id in reached:
            routes = [o.next or following[q.id] for o in q.options] if q.type == "decision" else []
            reached |= {r for r in (routes or [following[q.id]]) if r is not None}
    for i, qid in enumerate(ids):
        if qid not in reached:
            c.fail(f"/questions/{i}", t("load.unreachable", id=repr(qid)))


_SCENARIO_REQUIRED = (
    "schema_version", "id", "title", "summary", "themes", "audience", "perspective",
    "content_warning", "guide_section", "help_routes", "story", "questions", "discussion_prompts",
)  # fmt: skip
_SCENARIO_OPTIONAL = ("content_note", "triggers", "facts", "level")


def parse_scenario(
    text: str, file: Path, help_routes: Iterable[str], fact_ids: Iterable[str] = ()
) -> m.Scenario:
    """Build a Scenario from YAML text; raise ContentError listing every problem."""
    name = str(file)
    raw, lines = read_yaml(text, name)
    c = Checker(name, lines)
    data = c.mapping(raw, "", _SCENARIO_REQUIRED, _SCENARIO_OPTIONAL)
    if data is None:
        raise ContentError(c.problems)
    known_facts = tuple(fact_ids)
    _check_version(c, data)
    sid = c.ident(data, "id", "")
    _check_id_matches_file(c, sid, file)
    warning = c.choice(data, "content_warning", "", m.WARNING_LEVELS)
    note = c.text(data, "content_note", "")
    if warning in ("midden", "hoog") and note is None and "content_note" not in data:
        c.fail("/content_note", t("load.content_note_needed", warning=repr(warning)))
    story = _read_story(c, data.get("story"), "/story") if "story" in data else None

    questions: list[m.Question] = []
    for i, rawq in enumerate(c.items(data, "questions", "", minimum=1)):
        q = _read_question(c, rawq, f"/questions/{i}", sid or file.stem, known_facts)
        if q is not None and q.id in {x.id for x in questions}:
            c.fail(f"/questions/{i}/id", t("load.duplicate_question", id=repr(q.id)))
        elif q is not None:
            questions.append(q)
    audience = c.choices(data, "audience", "", m.AUDIENCES)
    _check_questions(c, questions, audience)
    by_id = {q.id: q for q in questions}
    triggers = [
        _read_trigger(c, t, f"/triggers/{i}", by_id)
        for i, t in enumerate(c.items(data, "triggers", ""))
    ]
    routes = c.choices(data, "help_routes", "", tuple(help_routes))

    scenario = m.Scenario(
        id=sid or "",
        title=c.text(data, "title", "") or "",
        summary=c.text(data, "summary", "") or "",
        themes=c.choices(data, "themes", "", m.THEMES),
        audience=audience,
        perspective=c.choice(data, "perspective", "", m.ROLES) or "",
        content_warning=warning or "",
        content_note=note,
        guide_section=c.text(data, "guide_section", "") or "",
        help_routes=routes,
        story=story or m.Story(""),
        questions=tuple(questions),
        discussion_prompts=c.texts(data, "discussion_prompts", "", minimum=1),
        triggers=tuple(t for t in triggers if t is not None),
        facts=_read_fact_ids(c, data, "", known_facts),
        level=_read_level(c, data),
        source_file=name,
    )
    c.raise_if_any()
    return scenario


_GUIDE_REQUIRED = (
    "goals", "preparation", "timing", "skip_when_short", "do_not_reveal", "disclosure", "follow_up",
)  # fmt: skip


def _read_guide(
    c: Checker, raw: Any, scenarios: Mapping[str, m.Scenario], fact_ids: tuple[str, ...]
) -> m.MentorGuide | None:
    """A lesson's mentor guide; the timing plan names the lesson's scenarios and their questions."""
    data = c.mapping(raw, "/guide", _GUIDE_REQUIRED, ("facts",))
    if data is None:
        return None
    parts: list[m.GuidePart] = []
    for i, raw_part in enumerate(c.items(data, "timing", "/guide", minimum=1)):
        path = f"/guide/timing/{i}"
        part = c.mapping(
            raw_part, path, ("minutes",), ("scenario", "title", "discuss", "skip", "explain")
        )
        if part is None:
            continue
        minutes = c.number(part, "minutes", path, 1, 90)
        sid = c.choice(part, "scenario", path, tuple(scenarios)) if "scenario" in part else None
        if ("scenario" in part) == ("title" in part):
            c.fail(path, t("load.part_scenario_or_title"))
        found = scenarios.get(sid) if sid is not None else None
        questions = tuple(q.id for q in found.questions) if found is not None else ()
        discuss = c.choices(part, "discuss", path, questions, minimum=0) if sid else ()
        skip = c.choices(part, "skip", path, questions, minimum=0) if sid else ()
        explain = c.choices(part, "explain", path, questions, minimum=0) if sid else ()
        if not sid and ("discuss" in part or "skip" in part or "explain" in part):
            c.fail(path, t("load.part_questions"))
        if minutes is not None:
            title = c.text(part, "title", path) if "title" in part else None
            parts.append(m.GuidePart(int(minutes), sid, title, discuss, skip, explain))
    guide = m.MentorGuide(
        goals=c.texts(data, "goals", "/guide", minimum=1),
        preparation=c.texts(data, "preparation", "/guide", minimum=1),
        timing=tuple(parts),
        skip_when_short=c.texts(data, "skip_when_short", "/guide", minimum=1),
        do_not_reveal=c.texts(data, "do_not_reveal", "/guide", minimum=1),
        disclosure=c.text(data, "disclosure", "/guide") or "",
        follow_up=c.texts(data, "follow_up", "/guide", minimum=1),
        facts=_read_fact_ids(c, data, "/guide", fact_ids),
    )
    return guide


def _read_level(c: Checker, data: Mapping[str, Any]) -> str:
    """The reading level (``B1`` when absent)."""
    return c.choice(data, "level", "", m.LEVELS) or "B1"


def parse_lesson(
    text: str,
    file: Path,
    find_scenario: Callable[[str], m.Scenario | None],
    selfscan_scenarios: Callable[[], tuple[m.Scenario, ...]] | None = None,
    fact_ids: Iterable[str] = (),
) -> m.Lesson:
    """Build a Lesson from YAML text; ``find_scenario`` resolves scenario ids (None if unknown).

    A lesson names either its ``scenarios`` or ``selfscan: true``: then its scenarios are the
    self-scan checklist's sections, from ``selfscan_scenarios``.
    """
    name = str(file)
    raw, lines = read_yaml(text, name)
    c = Checker(name, lines)
    required = ("schema_version", "id", "title", "summary", "audience", "minutes")
    optional = ("scenarios", "selfscan", "guide", "level", "title_en", "summary_en")
    data = c.mapping(raw, "", required, optional)
    if data is None:
        raise ContentError(c.problems)
    _check_version(c, data)
    lid = c.ident(data, "id", "")
    _check_id_matches_file(c, lid, file)
    selfscan = c.flag(data, "selfscan", "", False)
    scenarios: list[m.Scenario] = []
    if selfscan and "scenarios" in data:
        c.fail("/scenarios", t("load.selfscan_with_scenarios"))
    elif selfscan and selfscan_scenarios is not None:
        scenarios.extend(selfscan_scenarios())
    elif not selfscan and "scenarios" not in data:
        c.fail("/scenarios", t("load.scenarios_missing"))
    for i, sid in enumerate(c.texts(data, "scenarios", "", minimum=1)):
        found = find_scenario(sid)
        if found is None:
            c.fail(f"/scenarios/{i}", t("load.no_such_scenario", id=repr(sid)))
        else:
            scenarios.append(found)
    audience = c.choices(data, "audience", "", m.AUDIENCES)
    if selfscan and audience and audience != ("staff",):
        c.fail("/audience", t("load.selfscan_for_staff"))
    by_id = {s.id: s for s in scenarios}
    guide = _read_guide(c, data["guide"], by_id, tuple(fact_ids)) if "guide" in data else None
    lesson = m.Lesson(
        id=lid or "",
        title=c.text(data, "title", "") or "",
        summary=c.text(data, "summary", "") or "",
        audience=audience,
        minutes=c.number(data, "minutes", "", 10, 120) or 0,
        scenarios=tuple(scenarios),
        source_file=name,
        selfscan=selfscan,
        guide=guide,
        level=_read_level(c, data),
        title_en=c.text(data, "title_en", "") or "",
        summary_en=c.text(data, "summary_en", "") or "",
    )
    if bool(lesson.title_en) != bool(lesson.summary_en):
        c.fail("/title_en", t("load.title_en_pair"))
    c.raise_if_any()
    return lesson
