"""Videos: an MP4 encoded with PyAV in the test imports with duration, codec, resolution and
creation time read in a limited child process, and a keyframe contact sheet as a linked
image exhibit; hostile files are refused with a reason."""

from __future__ import annotations

import re
import subprocess
import sys
from fractions import Fraction

import av
import pytest
from PIL import Image, ImageDraw

from evidence_app.intake import import_files
from evidence_app.store import CaseStore


def write_mp4(path, seconds=3, fps=10):
    with av.open(str(path), "w", format="mp4") as out:
        out.metadata["creation_time"] = "2026-11-22T11:05:00.000000Z"
        stream = out.add_stream("mpeg4", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.codec_context.gop_size = fps
        for i in range(seconds * fps):
            image = Image.new("RGB", (320, 240), "black")
            ImageDraw.Draw(image).rectangle((0, 0, (i * 10) % 320 + 1, 239), fill=(200, 30, 30))
            frame = av.VideoFrame.from_image(image)
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture
def store(tmp_path):
    with CaseStore.create(tmp_path / "v.evcase", "视频") as s:
        yield s


def test_mp4_facts_and_contact_sheet(store, tmp_path):
    [outcome] = import_files(store, [write_mp4(tmp_path / "直播录屏.mp4")])
    assert outcome.status == "imported", outcome.message()
    meta = outcome.item.metadata
    assert outcome.item.media_type == "video/mp4"
    assert (meta["video_width"], meta["video_height"], meta["video_codec"]) == (320, 240, "mpeg4")
    assert abs(meta["video_duration"] - 3.0) < 0.3
    assert meta["video_creation_time"].startswith("2026-11-22T11:05:00")
    assert meta["video_keyframes"] == [0.0, 1.0, 2.0]  # one keyframe a second, each once
    [sheet] = outcome.parts
    assert sheet.item.media_type == "image/png" and "关键帧拼图" in sheet.item.title
    assert sheet.item.metadata["part_of"]["role"] == "contact_sheet"
    out = tmp_path / "b.pdf"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence_app",
            "export",
            str(store.root),
            "--pdf-only",
            str(out),
            "--allow-gaps",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "视频编码mpeg4" in flat and "分辨率320×240" in flat and "关键帧拼图见证据2" in flat


def test_hostile_videos_refused(store, tmp_path):
    good = write_mp4(tmp_path / "ok.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(good[:200])  # the header promises a stream the file does not hold
    garbage = tmp_path / "garbage.mp4"  # a valid ftyp box, then noise
    garbage.write_bytes(good[:32] + bytes((i * 97 + 13) % 256 for i in range(20_000)))
    for path in (cut, garbage):
        [outcome] = import_files(store, [path])
        assert outcome.status == "refused", path
        assert outcome.error.key == "intake.video_unreadable", outcome.error
    assert store.load().evidence == []
