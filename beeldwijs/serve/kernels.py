"""Work done once when the servers start instead of in every student's kernel."""

from __future__ import annotations

import contextlib
from pathlib import Path

from beeldwijs.serve.options import ServerOptions


def prepare_kernels(options: ServerOptions, cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Work done once at start instead of in every kernel; returns what goes into their env."""
    compile_package()
    return content_cache_env(options, cleanup)


def compile_package(package: Path | None = None) -> bool:
    """Write the bytecode of the beeldwijs package, best effort; True when it is all there.

    Every kernel imports it. Without ``.pyc`` files (``PYTHONDONTWRITEBYTECODE``, set in many
    container images, or a package folder the server's user may not write to at first import)
    each kernel compiles it from source again: ≈ 35 ms of CPU per student, measured
    (docs/decisions.md). Reading existing bytecode is not affected by that setting.
    """
    import compileall

    try:
        folder = package or Path(__file__).resolve().parents[1]
        return bool(compileall.compile_dir(folder, quiet=2, force=False))
    except OSError:
        return False


def content_cache_env(options: ServerOptions, cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Parse every lesson once for all kernels (beeldwijs.content.cache); {} if that fails.

    The file lives in a private temporary folder that ``cleanup`` removes.
    """
    import tempfile

    from beeldwijs.content import Library
    from beeldwijs.content.cache import ENV, write_cache

    folder = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="beeldwijs-cache-")))
    try:
        path = write_cache(Library(options.root), folder / "lessons.pickle")
    except Exception:  # noqa: BLE001 - broken content: each kernel reports it where it shows
        return {}
    return {ENV: str(path)}
