"""The project frame: dependencies in step, a small public surface, the folders docs/architecture.md describes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

import beeldwijs
import beeldwijs.content
import beeldwijs.facilitator
import beeldwijs.store
import beeldwijs.widgets

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].strip().lower()


def test_environment_yml_mirrors_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d): d for d in env["dependencies"] if isinstance(d, str)}
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    for requirement in project["dependencies"]:
        name = _name(requirement)
        assert name in conda, f"{name} is in pyproject.toml but not in environment.yml"
        spec = requirement.split("]")[-1] if "[" in requirement else requirement[len(name) :]
        assert conda[name].replace(" ", "") == (name + spec).replace(" ", ""), name
    extra = set(conda) - {_name(r) for r in project["dependencies"]} - {"python", "pip"}
    assert not extra, f"in environment.yml only: {extra}"
    assert "-e ." in pip
    assert "conda-forge" in env["channels"]


def test_public_surface_is_pinned() -> None:
    assert beeldwijs.__all__ == ["__version__"]
    assert sorted(beeldwijs.content.__all__) == [
        "Lesson",
        "Library",
        "Question",
        "Scenario",
        "default_root",
    ]
    assert sorted(beeldwijs.facilitator.__all__) == ["Dashboard"]
    assert "ResponseStore" in beeldwijs.store.__all__ and "Submission" in beeldwijs.store.__all__
    assert "LessonPlayer" in beeldwijs.widgets.__all__


def test_design_card_folders_exist() -> None:
    for folder in (
        "lessons",
        "scenarios",
        "facilitator",
        "tests",
        "bench",
        "docs",
        "beeldwijs/widgets",
    ):
        assert (ROOT / folder).is_dir(), folder
    assert not (ROOT / "widgets").exists(), "the card's widgets/ lives at beeldwijs/widgets/"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("make start") < readme.index("make test") < 800


def test_student_kernel_does_not_import_pandas_or_matplotlib() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import beeldwijs.widgets, beeldwijs.widgets.join, beeldwijs.content.cache; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'segno') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
