"""The light page's parts without a server (beeldwijs/serve/light.py); the headers a browser
gets from the real student server are checked in tests/test_e2e_page.py."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import brotlicffi
import pytest
from tornado.web import RequestHandler, StaticFileHandler

from beeldwijs.serve.light import (
    LightStatic,
    StaticCompressor,
    accepted_encodings,
    light_handlers,
)

SCRIPT = (
    "function render(el) { el.textContent = 'Vraag ' + n + ' van ' + total; }\n" * 200
).encode()


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepted_encodings("gzip, deflate, br, zstd") == {"gzip", "deflate", "br", "zstd"}
    assert accepted_encodings("gzip;q=1.0, br;q=0") == {"gzip"}
    assert accepted_encodings("br;q=0.0, identity") == {"identity"}
    assert accepted_encodings("") == set()


def wait_for(path: Path) -> None:
    for _ in range(400):
        if path.exists():
            return
        time.sleep(0.05)


def test_gzip_at_once_brotli_from_the_background_both_whole(tmp_path: Path) -> None:
    source = tmp_path / "static" / "chunk.js"
    source.parent.mkdir()
    source.write_bytes(SCRIPT)
    compressor = StaticCompressor(tmp_path / "cache")

    encoding, first = compressor.variant(str(source), {"gzip", "br"})  # type: ignore[misc]
    assert encoding == "gzip" and gzip.decompress(Path(first).read_bytes()) == SCRIPT
    assert len(Path(first).read_bytes()) < len(SCRIPT) / 5
    wait_for(tmp_path / "cache" / (Path(first).stem + ".br"))
    encoding, later = compressor.variant(str(source), {"gzip", "br"})  # type: ignore[misc]
    assert encoding == "br" and brotlicffi.decompress(Path(later).read_bytes()) == SCRIPT
    # a phone on the school's network takes gzip only: the background's smaller gzip by then
    encoding, best = compressor.variant(str(source), {"gzip", "deflate"})  # type: ignore[misc]
    assert encoding == "gzip" and best.endswith(".best.gz")
    assert gzip.decompress(Path(best).read_bytes()) == SCRIPT
    assert compressor.variant(str(source), {"identity"}) is None

    source.write_bytes(SCRIPT + b"// changed\n")  # a new version is a new copy, never the old one
    os.utime(source, ns=(time.time_ns(), time.time_ns() + 10**9))
    encoding, changed = compressor.variant(str(source), {"gzip"})  # type: ignore[misc]
    assert gzip.decompress(Path(changed).read_bytes()).endswith(b"// changed\n")


def test_the_best_gzip_is_a_standard_gzip_and_smaller_than_zlibs() -> None:
    from beeldwijs.serve import libdeflate

    data = Path(gzip.__file__).read_bytes() * 3  # text with repeats, as a script bundle has
    best = libdeflate.gzip_best(data)
    assert gzip.decompress(best) == data
    if not libdeflate.available():
        pytest.skip("Debian's libdeflate0 is not installed: zlib's level 9 is used")
    assert len(best) < len(gzip.compress(data, 9)) * 0.99


def test_what_gains_nothing_goes_as_it_is(tmp_path: Path) -> None:
    compressor = StaticCompressor(tmp_path / "cache")
    small, image = tmp_path / "small.js", tmp_path / "font.woff2"
    small.write_bytes(b"let x = 1;\n")
    image.write_bytes(os.urandom(4000))
    assert compressor.variant(str(small), {"gzip", "br"}) is None
    assert compressor.variant(str(image), {"gzip", "br"}) is None


def test_an_unwritable_cache_folder_sends_the_file_uncompressed(tmp_path: Path) -> None:
    source = tmp_path / "chunk.js"
    source.write_bytes(SCRIPT)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    assert StaticCompressor(blocked / "cache").variant(str(source), {"gzip"}) is None


def test_only_static_file_handlers_get_the_mixin() -> None:
    class Page(RequestHandler):
        pass

    routes = light_handlers([(r"/a/(.*)", StaticFileHandler, {"path": "/"}), (r"/p", Page)])
    assert issubclass(routes[0][1], LightStatic) and issubclass(routes[0][1], StaticFileHandler)
    assert routes[0][2] == {"path": "/"}
    assert routes[1][1] is Page
