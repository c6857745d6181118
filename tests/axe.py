"""axe-core, the accessibility checker, for the browser tests.

axe-core comes from the npm registry at a pinned version and is installed by the tests themselves
into a cache folder outside the repository (``$XDG_CACHE_HOME/beeldwijs-tests``, else
``~/.cache/beeldwijs-tests``): the first run needs npm and the registry, later runs neither. It is
injected into a Playwright page and run against WCAG 2.0, 2.1 and 2.2 at levels A and AA.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE_VERSION = "4.10.3"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "beeldwijs-tests"


@cache
def axe_source() -> str:
    """axe.min.js of AXE_VERSION, installed with npm into the cache folder on first use."""
    folder = cache_folder()
    target = folder / f"axe-core-{AXE_VERSION}"
    script = target / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: run tools/system-deps.sh")
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test runs install it once
            if not script.exists():
                staging = Path(tempfile.mkdtemp(dir=folder, prefix=".axe-"))
                subprocess.run(
                    [npm, "install", "--prefix", str(staging), "--no-save", "--no-audit",
                     "--no-fund", "--ignore-scripts", f"axe-core@{AXE_VERSION}"],
                    check=True, capture_output=True, timeout=600,
                )  # fmt: skip
                staging.rename(target)
    return script.read_text(encoding="utf-8")


def violations(page: Any, *, exclude: list[str] | None = None) -> list[dict[str, Any]]:
    """axe's WCAG A/AA violations of the page as it is now (every impact)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    found: list[dict[str, Any]] = page.evaluate(
        """async ([tags, exclude]) => {
            const context = exclude.length ? {include: [document], exclude: exclude.map(s => [s])}
                                           : document;
            const result = await axe.run(context, {runOnly: {type: 'tag', values: tags},
                                                   resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }""",
        [WCAG_TAGS, exclude or []],
    )
    return found


def blocking(page: Any, screen: str, **kwargs: Any) -> list[str]:
    """One readable line per serious or critical violation on ``screen`` (empty when none)."""
    return [
        f"{screen}: {v['id']} ({v['impact']}) {v['help']} at "
        + "; ".join(n["target"] for n in v["nodes"][:5])
        for v in violations(page, **kwargs)
        if v["impact"] in BLOCKING
    ]
