"""Keeps the translation catalogs in step with the Dutch texts in beeldwijs/texts.py (one step).

    .venv/bin/python tools/texts.py          # or: make texts

1. extracts the template ``beeldwijs/locale/beeldwijs.pot`` from :data:`beeldwijs.texts.NL`
   (message context = key, message id = the Dutch text; a plural text has both forms);
2. updates every ``beeldwijs/locale/<language>/LC_MESSAGES/beeldwijs.po`` from it (:func:`updated`):
   new texts come in untranslated, removed ones go, a changed Dutch text keeps its old translation
   marked fuzzy;
3. compiles each catalog to ``beeldwijs.mo`` (fuzzy and untranslated messages left out: Dutch
   shows there). ``--check`` changes nothing and exits 1 when a file is not up to date.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from beeldwijs.texts import DOMAIN, LOCALE_DIR, NL  # noqa: E402

STABLE_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HEADER = "Beeldwijs: the texts of the student and mentor screens. Dutch is the source."


def template() -> Catalog:
    catalog = Catalog(project="Beeldwijs", header_comment=f"# {HEADER}", fuzzy=False)
    for key, source in NL.items():
        catalog.add(source, context=key)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, no_location=True)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog without untranslated plurals: Babel would fill their forms with the
    Dutch ones, chosen by the other language's plural rule ("21 deelnemer" in Ukrainian)."""
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            catalog.delete(message.id, context=message.context)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _stable(catalog: Catalog) -> Catalog:
    """The same creation and revision dates on every run, so an unchanged catalog is unchanged."""
    catalog.creation_date = catalog.revision_date = STABLE_DATE
    return catalog


def updated(old: Catalog) -> Catalog:
    """``old`` with the template's messages in the template's order: a translation stays with its
    key; when the Dutch text of the key changed, it stays marked fuzzy (not used until checked);
    new keys come in untranslated, removed keys go."""
    by_key = {m.context: m for m in old if m.context}
    catalog = Catalog(locale=old.locale, header_comment=old.header_comment, fuzzy=False)
    catalog.mime_headers = old.mime_headers
    for message in template():
        before = by_key.get(message.context)
        string: str | tuple[str, ...] = ("",) * 2 if isinstance(message.id, tuple) else ""
        flags: set[str] = set()
        if before is not None and isinstance(before.id, tuple) == isinstance(message.id, tuple):
            string = before.string
            translated = any(string) if isinstance(string, tuple) else bool(string)
            if translated and (before.id != message.id or before.fuzzy):
                flags.add("fuzzy")
        catalog.add(message.id, string, context=message.context, flags=flags)
    catalog.header_comment = old.header_comment  # adding the template's header emptied it
    return catalog


def wanted() -> dict[Path, bytes]:
    """Every catalog file as it should be now."""
    pot = _stable(template())
    files = {LOCALE_DIR / f"{DOMAIN}.pot": _po_bytes(pot)}
    for po_path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po_path.parts[-3]
        with po_path.open("rb") as f:
            catalog = _stable(updated(read_po(f, locale=language)))
        files[po_path] = _po_bytes(catalog)
        with io.BytesIO(files[po_path]) as again:
            files[po_path.with_suffix(".mo")] = _mo_bytes(read_po(again, locale=language))
    return files


def _comparable(path: Path, data: bytes) -> object:
    """What must match: the messages of a compiled catalog; a catalog's text without the line
    naming Babel's version (CI may have another Babel)."""
    if path.suffix == ".mo":
        messages = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
        return {k: v for k, v in messages.items() if k != ""}
    return re.sub(rb'"Generated-By: [^"]*"\n', b"", data)


def stale() -> list[Path]:
    """Catalog files that are missing or not up to date."""
    return [
        path
        for path, data in wanted().items()
        if not path.exists() or _comparable(path, path.read_bytes()) != _comparable(path, data)
    ]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        old = stale()
        for path in old:
            print(f"niet bijgewerkt: {path.relative_to(ROOT)} (draai: make texts)")
        return 1 if old else 0
    for path, data in wanted().items():
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
