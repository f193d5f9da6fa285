"""Hostile paths and hand-edited case files (issue: a folder import followed
``notes.txt -> /etc/shadow``; case.json accepted ``../../../../etc/shadow`` and absolute paths;
deep nesting, a 5000-digit number or a lone surrogate gave "Unexpected error"; a file
appended to during import was stored at whatever size it reached)."""

from __future__ import annotations

import io
import json
import os

import pytest
from PIL import Image

from evidence_app.cli import main
from evidence_app.i18n import words
from evidence_app.intake import import_files
from evidence_app.jobs import CancelToken
from evidence_app.store import CaseStore


def png_bytes(color="red"):
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture
def store(tmp_path, frozen_clock):
    with CaseStore.create(tmp_path / "case", "t", clock=frozen_clock) as s:
        yield s


@pytest.fixture
def secret(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    path = outside / "shadow"
    path.write_text("root:$6$secret-hash:19000:0:99999:7:::\n")
    return path


def test_folder_import_reports_and_skips_links(store, tmp_path, secret):
    folder = tmp_path / "chosen"
    folder.mkdir()
    (folder / "shot.png").write_bytes(png_bytes())
    (folder / "notes.txt").symlink_to(secret)
    (folder / "dirlink").symlink_to(secret.parent, target_is_directory=True)
    outcomes = import_files(store, [folder])
    by_name = {o.display_name: o for o in outcomes}
    assert by_name["shot.png"].status == "imported"
    for name in ("notes.txt", "dirlink"):
        assert by_name[name].status == "refused"
        assert by_name[name].error.key == "intake.link_skipped"
        assert "链接" in words(by_name[name].as_message())
    stored = [store.blobs.path_for(e.sha256).read_bytes() for e in store.load().evidence]
    assert all(b"secret-hash" not in data for data in stored)


def test_link_named_directly_is_resolved_and_recorded(store, tmp_path):
    real = tmp_path / "real-shot.png"
    real.write_bytes(png_bytes("blue"))
    link = tmp_path / "link.png"
    link.symlink_to(real)
    [outcome] = import_files(store, [link])
    assert outcome.status == "imported"
    assert outcome.path == real.resolve()
    assert outcome.item.original_name == "real-shot.png"


class _AppendOnce(CancelToken):
    """Appends to the file being imported when the copy is under way (a deterministic
    stand-in for a program still writing the file)."""

    def __init__(self, path):
        super().__init__()
        self._path = path
        self._calls = 0

    def raise_if_cancelled(self):
        self._calls += 1
        if self._calls == 2:  # the first check is before the file is opened; then per chunk
            with open(self._path, "ab") as fh:
                fh.write(b"\0" * (3 << 20))
        super().raise_if_cancelled()


def test_file_changed_during_import_is_refused(store, tmp_path):
    path = tmp_path / "growing.png"
    data = png_bytes()
    path.write_bytes(data + b"\0" * (2 << 20))  # over one copy chunk
    [outcome] = import_files(store, [path], cancel=_AppendOnce(path))
    assert outcome.status == "refused"
    assert outcome.error.key == "intake.changed"
    assert "文件在导入过程中被修改" in words(outcome.as_message())
    assert store.load().evidence == []
    assert not [p for p in store.blobs.root.glob(".stage-*") if not p.name.endswith(".lock")]


def _case_json(tmp_path, **overrides):
    desc = {
        "format": 1,
        "complainant": {"name": "甲公司", "uscc": "91110000600037341L"},
        "targets": [],
        "evidence": [],
    }
    desc.update(overrides)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(desc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["../outside/shadow", "ABSOLUTE", "sub/../../outside/shadow"])
def test_case_json_file_paths_stay_inside_its_folder(tmp_path, secret, capsys, name):
    base = tmp_path / "desc"
    base.mkdir()
    (base / "sub").mkdir()
    name = str(secret) if name == "ABSOLUTE" else name
    desc = _case_json(base, evidence=[{"file": name, "kind": "capture"}])
    assert main(["case", "init", str(tmp_path / "x"), "--from", str(desc)]) != 0
    err = capsys.readouterr().err
    assert "$.evidence[0].file" in err and "Traceback" not in err
    assert not (tmp_path / "x.evcase").exists()


def test_case_json_link_pointing_out_is_refused(tmp_path, secret, capsys):
    base = tmp_path / "desc"
    base.mkdir()
    (base / "notes.txt").symlink_to(secret)
    desc = _case_json(base, evidence=[{"file": "notes.txt", "kind": "other"}])
    assert main(["case", "init", str(tmp_path / "x"), "--from", str(desc)]) != 0
    assert "$.evidence[0].file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raw", "path", "words"),
    [
        ('{"format": 1, "title": ' + "[" * 5000 + "]" * 5000 + "}", "$.title", "嵌套过深"),
        ('{"format": 1, "targets": [{"n": ' + "9" * 5000 + "}]}", "$.targets[0].n", "数字位数"),
        ('{"format": 1, "title": "\\ud800"}', "$.title", "孤立代理项"),
        ('{"format": 1, "title": "' + "长" * 1_000_001 + '"}', "$.title", "文字过长"),
    ],
    ids=["deep", "digits", "surrogate", "long-string"],
)
def test_case_json_bounds_name_the_json_path(tmp_path, capsys, raw, path, words):
    desc = tmp_path / "case.json"
    desc.write_text(raw, encoding="utf-8")
    code = main(["case", "init", str(tmp_path / "x"), "--from", str(desc)])
    err = capsys.readouterr().err
    assert code != 0 and "Unexpected" not in err and "意外" not in err
    assert path in err and words in err


def test_killed_init_partial_folder_is_removed_by_the_next_init(tmp_path, capsys):
    """A killed ``case init`` left ``.partial-*`` case folders that nothing removed."""
    import subprocess
    import sys

    from evidence_app.store.lock import job_dir

    stale = tmp_path / ".partial-deadbeef-old.evcase"  # an older version's leftover
    stale.mkdir()
    (stale / "case.sqlite").write_bytes(b"plaintext complainant")
    live, live_owner = job_dir(tmp_path, ".partial-", "-busy.evcase")  # another init, alive
    code = (
        "from evidence_app.store.lock import job_dir; import sys, os; "
        "job_dir(__import__('pathlib').Path(sys.argv[1]), '.partial-', '-killed.evcase'); "
        "os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True)
    desc = _case_json(tmp_path)
    assert main(["case", "init", str(tmp_path / "new"), "--from", str(desc)]) == 0
    left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".partial-"))
    assert left == sorted([live.name, live.name + ".lock"])
    live_owner.release(remove=True)
    os.rmdir(live)


def test_png_with_pdf_marker_in_a_text_chunk_is_a_png(store, tmp_path):
    """A valid PNG with "%PDF-1.7" in a tEXt chunk in its first KiB was refused as a
    damaged PDF."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "%PDF-1.7 not a pdf")
    path = tmp_path / "marker.png"
    Image.new("RGB", (20, 10), "white").save(path, pnginfo=info)
    assert b"%PDF-" in path.read_bytes()[:1024]
    [outcome] = import_files(store, [path])
    assert outcome.status == "imported", outcome.message()
    assert outcome.item.media_type == "image/png"


def test_a_title_the_layout_cannot_hold_is_refused_at_intake(store, tmp_path):
    """A 2,000-character title was accepted and then made every export fail ("Layout
    failed")."""
    path = tmp_path / "shot.png"
    path.write_bytes(png_bytes("green"))
    [outcome] = import_files(store, [path], title="标题" * 1000)
    assert outcome.status == "refused" and outcome.error.key == "intake.title_too_long"
    assert "标题过长" in words(outcome.as_message())
    assert store.load().evidence == []
    [outcome] = import_files(store, [path], title="标" * 200)
    assert outcome.status == "imported"
