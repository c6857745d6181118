"""The beeldwijs command (every option: docs/cli.md; every setting: docs/settings.md).

beeldwijs --version
beeldwijs start [--student-port N] [--facilitator-port N] [--db PATH|URL] [--local] [--k K]
                [--max-kernels N] [--pool-size N] [--cull-idle-timeout S] [--retention-days N]
                [--student-servers N] [--base-url /sN/] [--public-url URL] [--root DIR]
                [--facilitator-host ADDRESS]
beeldwijs nginx-config [--listen PORT] HOST:PORT ...   nginx in front of student servers
beeldwijs serve student|facilitator        one server in the foreground (a container)
beeldwijs check [PATH ...]
beeldwijs session new LESSON [--db …]     prints the code and the join URL
beeldwijs session close CODE [--db …]
beeldwijs results CODE [--format json|csv] [--k K] [--db …]
                                           a session's results, k applied (totals only)
beeldwijs purge [--days N] [--db …]        deletes sessions older than N days (default 30)
beeldwijs notebooks                        (re)writes lessons/<id>.ipynb from lessons/<id>.yaml
beeldwijs facts [--markdown]               every legal fact with source and dates
beeldwijs handleiding LESSON [--out DIR]   the lesson's docentenhandleiding (Markdown + PDF)
beeldwijs letter --school NAME --dates "…" [--lessons ID …] --out DIR
                                           parent letter for the brugklas series (Markdown + PDF)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from beeldwijs import __version__, settings
from beeldwijs.content import Library, default_root
from beeldwijs.errors import BeeldwijsError, ContentError, SessionError, StoreError
from beeldwijs.texts import t


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="beeldwijs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"beeldwijs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    start = sub.add_parser("start", help="start the student app and the mentor dashboard")
    settings.add_options(start, "start")

    nginx = sub.add_parser(
        "nginx-config", help="print an nginx configuration for student servers on other machines"
    )
    nginx.add_argument(
        "--listen",
        default=str(settings.default("student_port")),
        help="nginx's address: PORT or HOST:PORT (default %(default)s)",
    )
    nginx.add_argument(
        "upstreams",
        nargs="+",
        metavar="HOST:PORT",
        help="the student servers, in order: the first is started with --base-url /s1/, …",
    )

    serve = sub.add_parser(
        "serve",
        help="run one server in the foreground, configured by BEELDWIJS_* variables "
        "(a container of compose.yaml; docs/container.md)",
    )
    serve.add_argument("role", choices=("student", "facilitator"))

    check = sub.add_parser(
        "check", help="check scenario and lesson files, and parent-letter templates (.md)"
    )
    check.add_argument("paths", nargs="*", type=Path)

    session = sub.add_parser("session", help="create or close a session")
    ssub = session.add_subparsers(dest="action", required=True)
    new = ssub.add_parser("new", help="start a session for a lesson")
    new.add_argument("lesson")
    settings.add_options(new, "session new")
    close = ssub.add_parser("close", help="close a session")
    close.add_argument("code")
    settings.add_options(close, "session close")

    results = sub.add_parser("results", help="print a session's aggregated results (k applied)")
    results.add_argument("code")
    results.add_argument("--format", choices=("json", "csv"), default="json")
    settings.add_options(results, "results")

    purge = sub.add_parser("purge", help="delete old sessions (retention)")
    settings.add_options(purge, "purge")

    sub.add_parser("notebooks", help="write lesson notebooks from lesson files")

    facts = sub.add_parser("facts", help="list every legal fact the lessons rely on")
    facts.add_argument("--markdown", action="store_true", help="as the docs page (docs/facts.md)")

    guide = sub.add_parser("handleiding", help="write a lesson's docentenhandleiding (.md + .pdf)")
    guide.add_argument("lesson", help="the lesson id (the name of lessons/<id>.yaml)")
    guide.add_argument("--out", type=Path, default=Path(), help="folder for the .md and .pdf")

    letter = sub.add_parser("letter", help="write the parent letter for a lesson series")
    letter.add_argument(
        "--school",
        default="",
        help="the school's name, as parents know it (default: the school profile)",
    )
    letter.add_argument(
        "--dates", default="", help='when the lessons are, e.g. "2 t/m 20 september"'
    )
    letter.add_argument(
        "--kind",
        choices=("brugklas", "onderbouw", "bovenbouw", "incident"),
        default="brugklas",
        help="before a lesson series for this year group, or after an incident (to the class)",
    )
    letter.add_argument(
        "--lang", choices=("nl", "en"), default="nl", help="en: the brugklas letter"
    )
    letter.add_argument(
        "--lessons", nargs="+", default=[], help="lesson ids (default: the year group's lessons)"
    )
    letter.add_argument(
        "--privacy-contact", default="", help="who parents ask about privacy (name, e-mail)"
    )
    letter.add_argument(
        "--incident", default="", help="incident letter: what happened, in general terms, no names"
    )
    letter.add_argument("--out", type=Path, required=True, help="folder for the .md and .pdf")
    letter.add_argument(
        "--template", type=Path, help="the school's own template (see data/ouderbrief.md)"
    )
    settings.add_options(letter, "letter")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # what Beeldwijs, its servers and their kernels write (database, exports, reports) is for
    # this user only: files 0600, folders 0700 (docs/security.md)
    os.umask(0o077)
    args = _parser().parse_args(argv)
    try:
        settings.resolve(args, _command(args))
        return int(_COMMANDS[args.command](args))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    except SessionError as exc:
        print(t("cli.session_error", code=exc.code, error=type(exc).__name__), file=sys.stderr)
        return 1
    except StoreError as exc:
        from beeldwijs.store import db_target

        where = _without_password(db_target(getattr(args, "db", None)))
        print(t("cli.store_error", db=where, detail=exc), file=sys.stderr)
        return 1
    except (BeeldwijsError, ValueError) as exc:
        print(f"beeldwijs: {exc}", file=sys.stderr)
        return 1


def _command(args: argparse.Namespace) -> str:
    """The command as the settings table names it: ``start``, ``session new``, …"""
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if action else str(args.command)


def _without_password(target: str) -> str:
    """A database URL as it may be printed: ``postgresql://user:***@host/db``."""
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    if "://" not in target or parts.password is None:
        return target
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()


def _store(args: argparse.Namespace):  # lazy import keeps `check` light
    from beeldwijs.store import ResponseStore

    return ResponseStore(args.db)


def _mentor_store(args: argparse.Namespace):
    """The store as the facilitator pages see it: run from a logged-in mentor's kernel (school
    server), the mentor's own sessions only, and purge for the admin role only."""
    from beeldwijs.facilitator.access import facilitator_store

    return facilitator_store(_store(args))


#: Where `beeldwijs start` notes the student server's address in the store (meta table).
STUDENT_URL_KEY = "student_url"


def _start(args: argparse.Namespace) -> int:
    from beeldwijs.serve.options import ServerOptions, student_url
    from beeldwijs.serve.supervisor import run_servers
    from beeldwijs.store import db_target

    root = (args.root or default_root()).resolve()
    Library(root).lessons()  # refuse to start on broken content, naming file and key
    target = db_target(args.db)
    purged = _store(args).purge(args.retention_days)
    if purged:
        print(t("cli.purged", n=purged, days=args.retention_days))
    options = ServerOptions(
        root=root,
        db=target,
        student_port=args.student_port,
        facilitator_port=args.facilitator_port,
        local=args.local,
        k=args.k,
        cull_idle_timeout=args.cull_idle_timeout,
        max_kernels=args.max_kernels,
        pool_size=args.pool_size,
        joins_per_minute=args.joins_per_minute,
        kernels_per_session=settings.value("kernels_per_session"),
        student_servers=args.student_servers,
        base_url=args.base_url,
        trusted_proxy=args.trusted_proxy,
        public_url=args.public_url,
        facilitator_host=args.facilitator_host,
        facilitator_password_hash=_password_hash(),
    )
    # `beeldwijs session new` in another shell prints the link with this server's real address
    _store(args).remember(STUDENT_URL_KEY, student_url(options))
    return run_servers(options)


def _password_hash() -> str:
    """The dashboard's password, hashed (argon2), from the environment: never on a command line."""
    from beeldwijs.serve.container import password_hash

    return password_hash(settings.value("facilitator_password") or "")


def _serve(args: argparse.Namespace) -> int:
    from beeldwijs.serve.container import serve

    return serve(args.role)


def _nginx_config(args: argparse.Namespace) -> int:
    from beeldwijs.serve.scaleout import nginx_config, prefix

    upstreams = [(prefix(i), address) for i, address in enumerate(args.upstreams, start=1)]
    print(nginx_config(args.listen, upstreams), end="")
    return 0


def _check(args: argparse.Namespace) -> int:
    from beeldwijs.content.check import check
    from beeldwijs.content.lint import format_coverage

    library = Library()
    paths = args.paths or [library.scenario_dir, library.lesson_dir]
    report = check(paths, library)
    for problem in report.problems:
        print(problem)
    for warning in report.warnings:
        print(t("check.warning", problem=warning))
    if report.has_library:
        print()
        print(format_coverage(report.scenarios))
        print()
    print(f"{t('check.files', n=report.files)}, {t('check.problems', n=len(report.problems))}.")
    return 1 if report.problems else 0


def _session(args: argparse.Namespace) -> int:
    from beeldwijs.links import join_url

    store = _mentor_store(args)
    if args.action == "new":
        Library().lesson(args.lesson)  # unknown lesson → ContentError naming the file
        session = store.create_session(args.lesson)
        base = args.student_url or store.recall(STUDENT_URL_KEY)
        if not base:
            from beeldwijs.serve.options import ServerOptions, student_url

            base = student_url(ServerOptions(root=default_root(), db=store.target))
        print(t("cli.code", code=session.code))
        print(t("cli.link", url=join_url(session.lesson_id, session.code, base)))
        return 0
    session = store.close_session(args.code)
    print(t("cli.closed", code=session.code))
    return 0


def _results(args: argparse.Namespace) -> int:
    import json

    from beeldwijs.facilitator.report import (
        results_dict,
        results_table,
        session_results,
        spreadsheet_safe,
    )

    k = args.k
    store = _mentor_store(args)
    session = store.session(args.code)
    lesson = Library().lesson(session.lesson_id)
    data = results_dict(session, lesson, session_results(store, lesson, session.code, k), k)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(spreadsheet_safe(results_table(data)).to_csv(index=False), end="")
    return 0


def _purge(args: argparse.Namespace) -> int:
    removed = _mentor_store(args).purge(args.retention_days)
    print(t("cli.removed", n=removed))
    return 0


def _notebooks(_args: argparse.Namespace) -> int:
    from beeldwijs.serve.notebooks import write_lesson_notebooks

    for path in write_lesson_notebooks(Library()):
        print(t("cli.written", path=path))
    return 0


def _facts(args: argparse.Namespace) -> int:
    from beeldwijs.content.facts import all_facts, format_facts

    print(format_facts(all_facts(), markdown=args.markdown), end="")
    return 0


def _handleiding(args: argparse.Namespace) -> int:
    from beeldwijs.documents.handleiding import write_handleiding
    from beeldwijs.texts import t

    for path in write_handleiding(Library().lesson(args.lesson), args.out):
        print(t("guide.written", path=path))
    return 0


def _letter(args: argparse.Namespace) -> int:
    from beeldwijs.documents.letter import (
        letter_markdown,
        load_template,
        series_lessons,
        template_file,
        write_letter,
    )

    if args.kind == "incident" and not args.incident.strip():
        raise ValueError(t("letter.incident_missing"))
    audience = "onderbouw" if args.kind == "incident" else args.kind
    lessons = [] if args.kind == "incident" else series_lessons(Library(), args.lessons, audience)
    from beeldwijs.content.profile import school_profile

    profile = school_profile()
    school = args.school or (profile.school if profile else "")
    fg = profile.functionaris_gegevensbescherming if profile else None
    markdown = letter_markdown(
        school,
        args.dates,
        lessons,
        retention_days=args.retention_days,
        template=load_template(args.template or template_file(args.kind, args.lang), args.kind),
        privacy_contact=args.privacy_contact or (fg.line() if fg else ""),
        incident=args.incident,
        lang=args.lang,
    )
    variant = "-".join(v for v in (args.kind, args.lang) if v not in ("brugklas", "nl"))
    for path in write_letter(markdown, args.out, school, variant, args.lang):
        print(t("letter.written", path=path))
    return 0


def reference() -> str:
    """docs/cli.md: the ``--help`` of the command and of every subcommand, at a fixed width."""

    def formatter(prog: str) -> argparse.HelpFormatter:
        return argparse.HelpFormatter(prog, width=100)

    lines = [
        "# The `beeldwijs` command",
        "",
        "Generated from `--help` by `python -m beeldwijs.cli > docs/cli.md`; `tests/test_reference_docs.py`",
        "fails when this page is stale. Settings and their environment variables: settings.md.",
    ]
    pending = [("beeldwijs", _parser())]
    while pending:
        name, parser = pending.pop(0)
        parser.formatter_class = formatter
        lines += ["", f"## `{name}`", "", "```text", parser.format_help().rstrip(), "```"]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                pending += [(f"{name} {n}", p) for n, p in action.choices.items()]
    return "\n".join(lines) + "\n"


_COMMANDS = {
    "start": _start,
    "check": _check,
    "session": _session,
    "results": _results,
    "purge": _purge,
    "notebooks": _notebooks,
    "letter": _letter,
    "facts": _facts,
    "handleiding": _handleiding,
    "nginx-config": _nginx_config,
    "serve": _serve,
}


if __name__ == "__main__":
    print(reference(), end="")
