"""Secrets stay secret (issue: a core dump held both passphrases and the evidence; the case
was 0644/0755 under umask 022; ``--recipient AGE-SECRET-KEY-1…`` printed the key back)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pyrage
import pytest

from evidence_app.cli import main

CORE_CHECK = textwrap.dedent(
    """
    import os, resource, sys
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # as with ulimit -c unlimited
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == hard
    from evidence_app.crypto.hardening import dumpable
    before = dumpable()
    from evidence_app.cli._common import secret_from_env
    os.environ["P"] = "a passphrase"
    secret_from_env("P")  # what export, verify and keys do before reading a passphrase
    print(resource.getrlimit(resource.RLIMIT_CORE), before, dumpable())
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_core_dumps_disabled_once_a_passphrase_is_read():
    out = subprocess.run(
        [sys.executable, "-c", CORE_CHECK], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[:2] == ["(0,", "0)"]
    if sys.platform.startswith("linux"):
        assert out[2:] == ["True", "False"]


def test_case_is_private_whatever_the_umask(tmp_path, capsys):
    from PIL import Image

    png = tmp_path / "a.png"
    Image.new("RGB", (8, 8)).save(png)
    old = os.umask(0o022)
    try:
        assert main(["demo", str(tmp_path / "d")]) == 0
        case = tmp_path / "d" / "demo.evcase"
        assert main(["import", str(case), str(png)]) == 0
    finally:
        os.umask(old)
    for path in [case, *case.rglob("*")]:
        if path.name.endswith(".lock") or path.name.endswith(".info"):
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_secret_key_as_recipient_is_never_echoed(tmp_path, capsys):
    secret = str(pyrage.x25519.Identity.generate())
    code = main(
        [
            "export",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "p.evpkt"),
            "--recipient",
            secret,
            "--sign",
            str(tmp_path / "s.p12"),
            "--sign-pass-env",
            "X",
        ]
    )
    captured = capsys.readouterr()
    assert code != 0
    assert secret not in captured.err + captured.out
    assert secret[15:40] not in captured.err + captured.out
    from evidence_app.crypto.age_stream import parse_recipient
    from evidence_app.errors import UsageError

    with pytest.raises(UsageError) as err:
        parse_recipient(secret)
    assert secret not in err.value.message() and "私钥" in err.value.message()
