"""Words for every failure (issue: a tampered row gave exit 1 "Unexpected error"; a full
disk during import blamed the source file; check/show/verify printed raw ESC, BEL, CR and
bidi controls from case data)."""

from __future__ import annotations

import errno
import json
import shutil
import sqlite3

import pytest
from PIL import Image

from evidence_app.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", str(folder)]) == 0
    return folder / "demo.evcase"


@pytest.fixture
def case(demo, tmp_path):
    copy = tmp_path / "demo.evcase"
    shutil.copytree(demo, copy)
    return copy


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("UPDATE evidence SET data='{bad json' WHERE number=1", "保管链之外被修改"),
        ("UPDATE evidence SET sha256='../../etc/passwd' WHERE number=2", "../../etc/passwd"),
        ("UPDATE targets SET data='[[[' WHERE position=1", "target:"),
        ("UPDATE custody SET details='{not json' WHERE seq=3", "3"),
    ],
    ids=["bad-json", "sha-path", "target-json", "custody-json"],
)
def test_tampered_record_is_audit_exit_4_naming_it(case, sql, words, capsys):
    capsys.readouterr()
    with sqlite3.connect(case / "case.sqlite") as conn:
        conn.execute(sql)
    assert main(["audit", str(case)]) == 4
    err = capsys.readouterr().err
    assert words in err and "意外错误" not in err
    assert main(["audit", str(case), "--json"]) == 4
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"]


def test_terminal_output_escapes_controls_and_bidi(case, tmp_path, capsys):
    hostile = "报告\u202egpj.exe\x1b]0;owned\x07\r伪造\x00"
    with sqlite3.connect(case / "case.sqlite") as conn:
        conn.execute("UPDATE targets SET data=json_set(data, '$.platform', ?)", (hostile,))
    capsys.readouterr()
    main(["case", "show", str(case)])
    main(["check", str(case)])
    out = capsys.readouterr()
    text = out.out + out.err
    for raw in ("\u202e", "\x1b", "\x07", "\r", "\x00"):
        assert raw not in text
    assert "⟨U+202E⟩" in text and "⟨U+001B⟩" in text
    main(["case", "show", str(case), "--json"])  # JSON keeps the exact data
    assert json.loads(capsys.readouterr().out)["targets"][0]["platform"] == hostile


def test_disk_full_during_import_names_the_case_not_the_file(case, tmp_path, capsys, monkeypatch):
    png = tmp_path / "ok.png"
    Image.new("RGB", (16, 16), "green").save(png)
    from evidence_app.store import blobs

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(blobs.os, "fsync", full)
    capsys.readouterr()
    assert main(["import", str(case), str(png)]) == 1
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and str(case) in err
    assert "无法读取" not in err
    monkeypatch.undo()
    assert main(["audit", str(case)]) == 0
    assert not [p for p in (case / "blobs").glob(".stage-*")]


def test_os_error_without_a_path_says_so(capsys):
    from evidence_app.failure_words import os_error_words
    from evidence_app.i18n import tr

    key, params = os_error_words(OSError(errno.EROFS, "Read-only file system"), "export")
    assert "只读" in tr(key, **params)
    key, params = os_error_words(OSError(errno.EIO, "Input/output error"), "import")
    assert ": :" not in tr(key, **params) and "：：" not in tr(key, **params)


def test_global_options_before_a_case_open_the_app(monkeypatch, tmp_path):
    """`evidence-app --lang en CASE` was a usage error instead of opening the app."""
    from evidence_app.cli import cmd_gui
    from evidence_app.i18n import current_language

    seen = []

    def fake_gui(args):
        seen.append((args.case, current_language()))
        return 0

    monkeypatch.setattr(cmd_gui, "run", fake_gui)
    case = str(tmp_path / "x.evcase")
    assert main(["--lang", "en", case]) == 0
    assert main(["--lang=zh_CN", "--debug", case]) == 0
    assert seen == [(case, "en"), (case, "zh_CN")]
