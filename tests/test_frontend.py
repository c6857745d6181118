"""The student page's own front end (frontend/, docs/decisions/lean-student-front-end.md): the
committed bundle is the build of the committed sources, and its packages are those the Python side
speaks to. Unit tier: no node, no server (the browser tests show the bundle works)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from pathlib import Path

from jupyter_core.paths import jupyter_path

from beeldwijs.serve.studentserver import FRONT_END, page_texts
from beeldwijs.texts import t

REPO = Path(__file__).resolve().parents[1]
FRONTEND = REPO / "frontend"
STAMP = json.loads((FRONTEND / "build-inputs.json").read_text())
#: What frontend/build.mjs digests, in its order (a folder: its files, sorted by path).
INPUTS = ("build.mjs", "package.json", "package-lock.json", "src", "licenses")
TEMPLATES = REPO / "beeldwijs/serve/share/jupyter/voila/templates"


def _files(name: str) -> list[str]:
    path = FRONTEND / name
    if path.is_dir():
        return sorted(p.relative_to(FRONTEND).as_posix() for p in path.rglob("*") if p.is_file())
    return [name]


def _digest(names: list[str], root: Path) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(f"{name}\n".encode())
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def test_the_committed_bundle_is_built_from_the_committed_sources() -> None:
    """A change to frontend/src, build.mjs, package.json or the lockfile needs `make frontend`;
    a hand-edited bundle fails too."""
    inputs = [name for top in INPUTS for name in _files(top)]
    assert _digest(inputs, FRONTEND) == STAMP["inputs"], "frontend/ changed: run `make frontend`"
    assert _digest(STAMP["files"], FRONT_END) == STAMP["outputs"], "the bundle was edited by hand"
    assert sorted(p.name for p in FRONT_END.iterdir()) == sorted(STAMP["files"])


def test_the_bundle_has_no_source_map_and_names_every_licence() -> None:
    for name in ("student.js", "student.css"):
        assert b"sourceMappingURL" not in (FRONT_END / name).read_bytes(), name
    licences = (FRONT_END / "THIRD-PARTY.txt").read_text()
    lock = json.loads((FRONTEND / "package-lock.json").read_text())["packages"]
    for package in ("@jupyter-widgets/base", "@jupyter-widgets/controls", "@lumino/widgets",
                    "@jupyterlab/services", "anywidget", "jquery", "backbone"):  # fmt: skip
        version = lock[f"node_modules/{package}"]["version"]
        assert f"{package} {version} (" in licences, package


def test_the_bundled_packages_speak_the_python_sides_versions() -> None:
    """anywidget's front end is the Python package's own version; the widgets' packages are those
    the installed jupyterlab_widgets (ipywidgets' front end) was built against. An ipywidgets or
    anywidget upgrade fails here until frontend/package.json follows it."""
    pinned = json.loads((FRONTEND / "package.json").read_text())["dependencies"]
    lock = json.loads((FRONTEND / "package-lock.json").read_text())["packages"]
    for package, version in pinned.items():
        assert version[0].isdigit(), f"{package}: pin an exact version, not {version}"
        assert lock[f"node_modules/{package}"]["version"] == version, package
    assert pinned["anywidget"] == importlib.metadata.version("anywidget")
    manager = next(
        Path(folder) / "@jupyter-widgets/jupyterlab-manager/package.json"
        for folder in jupyter_path("labextensions")
        if (Path(folder) / "@jupyter-widgets/jupyterlab-manager/package.json").exists()
    )
    wanted = json.loads(manager.read_text())["dependencies"]
    for package in ("@jupyter-widgets/base", "@jupyter-widgets/base-manager",
                    "@jupyter-widgets/controls"):  # fmt: skip
        assert wanted[package] == f"^{pinned[package]}", (package, wanted[package])


def test_the_student_template_loads_the_bundle_and_not_voilas_front_end() -> None:
    student = (TEMPLATES / "beeldwijs-student/index.html.j2").read_text()
    assert 'include_js("static/student.js")' in student
    assert 'include_css("static/student.css")' in student
    for voila in ("voila-style.js", "index.css", "voila_setup_labextensions", "main_js"):
        assert voila not in student.split("-#}", 1)[1], voila
    assert json.loads((TEMPLATES / "beeldwijs-student/conf.json").read_text()) == {
        "base_template": "beeldwijs"
    }


def test_the_student_page_gets_its_words_from_texts_py() -> None:
    """The front end's "Bezig met laden…" and "Dit deel … lukt niet" come from texts.py, in the
    page config (frontend/src/index.js reads ``beeldwijsTexts``)."""
    config = page_texts(lambda config, **_: {**config, "earlier": True})({"kernelId": "k"})
    assert config["earlier"] and config["kernelId"] == "k"
    assert config["beeldwijsTexts"] == {
        "loading": t("server.widget_loading"),
        "failed": t("server.widget_failed"),
    }
