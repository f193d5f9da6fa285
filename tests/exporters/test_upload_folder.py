"""Upload folder for a channel: layout, originals untouched, copies within limits, manifest,
the upload list, target selection, refusals, and nothing left behind on failure."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pikepdf
import pytest
from PIL import Image

from evidence_app.app.demo import write_demo_case
from evidence_app.channels import AcceptRule, ChannelProfile, get_profile, load_profiles
from evidence_app.errors import Cancelled, UsageError
from evidence_app.exporters.complaint import ExportRefused
from evidence_app.exporters.fitting import CannotFit, fit_file
from evidence_app.exporters.upload_folder import export_upload_folder
from evidence_app.jobs import CancelToken
from evidence_app.store import CaseStore


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo(tmp_path):
    return write_demo_case(tmp_path / "demo")


def test_every_profile_loads_and_the_regulator_comes_first():
    profiles = load_profiles()
    order = list(profiles)
    assert order[0] == "cac-12377" and order[-1] == "generic"
    assert all(p.name("zh_CN") and p.name("en") for p in profiles.values())
    assert get_profile("不存在的渠道").id == "generic"
    with pytest.raises(UsageError):
        get_profile("nope", strict=True)


def test_demo_folder_layout_originals_manifest_and_list(demo, tmp_path):
    out = tmp_path / "upload-cac"
    with CaseStore.open(demo) as store:
        case = store.load()
        result = export_upload_folder(store, out, allow_gaps=True)
        assert store.custody_log()[-1].action == "upload_folder.export"
        assert store.audit().ok
    assert result.channel == "cac-12377"
    # The channel takes no web archive and no e-mail file: listed as unfit, not dropped.
    assert [(u["source"], u["reason"]) for u in result.unfit] == [
        ("E008", "type_refused"),
        ("E009", "type_refused"),
    ]
    # Originals byte-identical to the store's.
    originals = sorted((out / "evidence").iterdir())
    assert sorted(sha(p) for p in originals) == sorted(e.sha256 for e in case.evidence)
    # Every upload file within the channel's limits, each one in the list with its hash.
    profile = get_profile("cac-12377")
    listing = (out / "UPLOAD.txt").read_text("utf-8")
    assert "网信部门涉企举报专区" in listing and "未加密" in listing
    for row in result.uploads:
        path = out / row.path
        assert path.stat().st_size == row.size and sha(path) == row.sha256
        assert row.path in listing and row.sha256 in listing
        media = "application/pdf" if path.suffix == ".pdf" else "image/png"
        if path.suffix == ".jpg":
            media = "image/jpeg"
        assert row.size <= profile.rule_for(media).max_bytes
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {f["path"] for f in manifest["files"]} == on_disk - {"manifest.json"}
    for entry in manifest["files"]:
        assert sha(out / entry["path"]) == entry["sha256"]
    assert manifest["channel"] == {"id": "cac-12377", "version": 2, "limits_verified": False}
    # The bundle names the channel as readers know it, not by its profile id.
    text = subprocess.run(
        ["pdftotext", "-l", "2", str(out / "complaint.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "网信部门涉企举报专区（12377）" in text and "cac-12377" not in text
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


def test_large_image_and_pdf_are_fitted_without_touching_originals(tmp_path):
    big = tmp_path / "big.png"
    noise = Image.effect_noise((5000, 3000), 90).convert("RGB")
    noise.save(big)
    doc = tmp_path / "doc.pdf"
    pdf = pikepdf.Pdf.new()
    for _ in range(6):
        page = pdf.add_blank_page(page_size=(595, 842))
        payload = os.urandom(80_000)  # incompressible: ~80 KB a page however it is saved
        page.Contents = pdf.make_stream(b"q Q %" + payload.hex().encode())
    pdf.save(doc)
    profile = ChannelProfile(
        "tiny",
        1,
        {"zh_CN": "小", "en": "tiny"},
        {"zh_CN": "-", "en": "-"},
        False,
        None,
        (
            AcceptRule(("image/jpeg", "image/png"), 2 * 1024 * 1024, 2048),
            AcceptRule(("application/pdf",), 300_000),
        ),
    )
    before = sha(big), sha(doc)
    (copy,) = fit_file(big, "image/png", big.stat().st_size, profile, tmp_path, "E001-big")
    assert copy.action == "image_copy" and copy.path.suffix == ".jpg"
    assert copy.path.stat().st_size <= 2 * 1024 * 1024
    with Image.open(copy.path) as fitted:
        assert max(fitted.size) <= 2048 and fitted.format == "JPEG"
    parts = fit_file(doc, "application/pdf", doc.stat().st_size, profile, tmp_path, "E002-doc")
    assert len(parts) > 1 and all(p.path.stat().st_size <= 300_000 for p in parts)
    assert [p.part for p in parts] == list(range(1, len(parts) + 1))
    assert sum(len(pikepdf.open(p.path).pages) for p in parts) == 6
    assert (sha(big), sha(doc)) == before  # originals untouched
    with pytest.raises(CannotFit) as info:
        fit_file(doc, "video/mp4", 10**9, profile, tmp_path, "E003-video")
    assert info.value.reason == "type_refused"


def test_target_selection_gaps_existing_folder_and_cancel(demo, tmp_path):
    with CaseStore.open(demo) as store:
        with pytest.raises(ExportRefused):  # T3 lacks its ICP query
            export_upload_folder(store, tmp_path / "a")
        result = export_upload_folder(store, tmp_path / "t1", channel="weibo", target_ids=["T1"])
        assert result.channel == "weibo" and result.gaps == 0
        manifest = json.loads((tmp_path / "t1" / "manifest.json").read_text("utf-8"))
        assert [t["id"] for t in manifest["case"]["targets"]] == ["T1"]
        with pytest.raises(UsageError):
            export_upload_folder(store, tmp_path / "t1", target_ids=["T1"])
        token = CancelToken()

        def cancel_midway(done, total, label):
            if done >= 2:
                token.cancel()

        with pytest.raises(Cancelled):
            export_upload_folder(
                store, tmp_path / "c", allow_gaps=True, progress=cancel_midway, cancel=token
            )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "t1"]


def test_cli_folder_json(demo, tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence_app",
            "export",
            str(demo),
            "--folder",
            str(tmp_path / "f"),
            "--channel",
            "generic",
            "--allow-gaps",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["channel"] == "generic" and not doc["signed"]
    assert all(u["action"] == "original" for u in doc["uploads"])
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence_app",
            "export",
            str(demo),
            "--folder",
            str(tmp_path / "g"),
            "--channel",
            "nope",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "cac-12377" in bad.stderr
    assert not (tmp_path / "g").exists()


def test_transparent_image_copy_is_on_white(tmp_path):
    source = tmp_path / "logo.png"
    image = Image.new("RGBA", (3000, 3000), (0, 0, 0, 0))  # transparent black
    image.paste((200, 30, 30, 255), (1000, 1000, 2000, 2000))
    image.save(source)
    profile = ChannelProfile(
        "tiny",
        1,
        {"zh_CN": "小", "en": "tiny"},
        {"zh_CN": "-", "en": "-"},
        False,
        None,
        (AcceptRule(("image/jpeg",), 1024 * 1024, 1000),),
    )
    (copy,) = fit_file(source, "image/png", source.stat().st_size, profile, tmp_path, "E1")
    with Image.open(copy.path) as fitted:
        corner = fitted.getpixel((5, 5))
        centre = fitted.getpixel((500, 500))
    assert min(corner) > 240  # white, not black
    assert centre[0] > 150 and centre[1] < 80  # the red square survives


def test_an_unreadable_file_is_listed_not_fatal(tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    profile = get_profile("weibo")
    with pytest.raises(CannotFit) as info:
        fit_file(broken, "image/png", 10 * 1024 * 1024, profile, tmp_path, "E1")
    assert info.value.reason == "unreadable"
