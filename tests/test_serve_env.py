"""`beeldwijs serve ROLE`: one server configured by the settings table (the compose stack)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from beeldwijs.serve.container import options_for, public_url, role_command, role_env
from beeldwijs.serve.healthz import database_answers


def test_student_server_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "BEELDWIJS_DB": str(tmp_path / "x.sqlite"), "BEELDWIJS_HOST": "beeldwijs.school.nl",
        "BEELDWIJS_BASE_URL": "/s2/", "BEELDWIJS_POOL_SIZE": "4", "BEELDWIJS_MAX_KERNELS": "40",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    options = options_for("student")
    assert (options.student_port, options.pool_size, options.max_kernels) == (8866, 4, 40)
    assert options.public_url == "https://beeldwijs.school.nl"
    argv = role_command("student", options)
    assert "--Voila.base_url=/s2/" in argv and "--Voila.ip=0.0.0.0" in argv
    assert "--StudentVoila.pool_size=4" in argv


def test_facilitator_server_listens_on_the_network_under_its_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BEELDWIJS_DB", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("BEELDWIJS_BASE_URL", "/mentor/")
    monkeypatch.setenv("BEELDWIJS_FACILITATOR_PASSWORD", "geheim")
    options = options_for("facilitator")
    argv = role_command("facilitator", options)
    assert "--Voila.ip=0.0.0.0" in argv and "--Voila.port=8867" in argv
    assert "--Voila.base_url=/mentor/" in argv
    assert "geheim" not in " ".join(argv) and "argon2" not in " ".join(argv)  # no hash in argv
    env = role_env("facilitator", options)  # the hash reaches the server through a private file
    config = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0]) / "voila.json"
    hashed = json.loads(config.read_text())["PasswordIdentityProvider"]["hashed_password"]
    assert hashed.startswith("argon2:") and "geheim" not in json.dumps(env)
    assert config.stat().st_mode & 0o077 == 0 and config.parent.stat().st_mode & 0o077 == 0
    assert argv[2] == "beeldwijs.serve.facilitatorserver"


def test_public_url_is_the_https_name_unless_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BEELDWIJS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("BEELDWIJS_HOST", raising=False)
    assert public_url() is None
    monkeypatch.setenv("BEELDWIJS_HOST", "beeldwijs.school.nl")
    assert public_url() == "https://beeldwijs.school.nl"
    monkeypatch.setenv("BEELDWIJS_PUBLIC_URL", "https://b:8443")
    assert public_url() == "https://b:8443"


def test_bad_settings_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEELDWIJS_POOL_SIZE", "veel")
    with pytest.raises(ValueError, match="pool_size must be a whole number"):
        options_for("student")
    with pytest.raises(ValueError, match="role"):
        options_for("dashboard")


def test_healthz_database_check(tmp_path: Path) -> None:
    assert database_answers(str(tmp_path / "ok.sqlite"))
    assert not database_answers("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2")
