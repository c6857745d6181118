"""The documentation stands: the docs site builds with every link and image resolved, every test
the documents cite as proof exists, and the version the command prints has its CHANGELOG entry."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import beeldwijs

ROOT = Path(__file__).resolve().parents[1]
#: A cited test: ``tests/test_privacy.py::test_name`` (the ``tests/`` part may be left out).
CITATION = re.compile(r"(?:tests/)?(test_\w+\.py)::(test_\w+)")


def _documents() -> list[Path]:
    return sorted(ROOT.glob("docs/**/*.md")) + [
        p
        for p in (ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "CONTRIBUTING.md")
        if p.exists()
    ]


def _defined_tests(test_file: Path) -> set[str]:
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def missing_citations(text: str) -> list[str]:
    """The citations in ``text`` whose test file or test function does not exist."""
    missing = []
    for file_name, test_name in CITATION.findall(text):
        path = ROOT / "tests" / file_name
        if not path.exists() or test_name not in _defined_tests(path):
            missing.append(f"{file_name}::{test_name}")
    return missing


def test_every_test_the_documents_cite_exists() -> None:
    problems = {
        str(doc.relative_to(ROOT)): found
        for doc in _documents()
        if (found := missing_citations(doc.read_text(encoding="utf-8")))
    }
    assert not problems, f"documents cite tests that do not exist: {problems}"
    cited = sum(len(CITATION.findall(d.read_text(encoding="utf-8"))) for d in _documents())
    assert cited >= 20, "the FG documents and docs/privacy.md cite their proof"


def test_the_citation_check_can_fail() -> None:
    assert missing_citations("zie `tests/test_privacy.py::test_that_was_never_written`") == [
        "test_privacy.py::test_that_was_never_written"
    ]
    assert missing_citations("`test_nowhere.py::test_x`") == ["test_nowhere.py::test_x"]
    assert missing_citations("`tests/test_docs.py::test_the_citation_check_can_fail`") == []


def test_docs_site_builds_with_every_link_and_image(tmp_path: Path) -> None:
    """`mkdocs build --strict` aborts on a link or image whose target is not there."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = {
        p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*.html")
    }
    for page in (
        "index.html",
        "fg/index.html",
        "mentor/index.html",
        "toegankelijkheidsverklaring.html",
    ):
        assert page in built
    # Offline: the pages load nothing from elsewhere (links to other sites are fine, assets are not).
    for html in (tmp_path / "site").rglob("*.html"):
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html.read_text()), (
            html
        )


def test_version_is_printed_and_has_a_changelog_entry() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "beeldwijs", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"beeldwijs {beeldwijs.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", beeldwijs.__version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{beeldwijs.__version__}]" in changelog
