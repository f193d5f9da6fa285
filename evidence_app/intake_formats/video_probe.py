"""Videos (MP4/MOV/WebM, short-video and live-stream recordings): container facts and a
keyframe contact sheet, read by FFmpeg (PyAV) in a child process with limits.

FFmpeg is a large C code base; a hostile file must not take the app down or hold it. So
``probe_video`` runs this module as ``python -m evidence_app.intake_formats.video_probe FILE
OUT.png`` with an address-space limit, a CPU-time limit and a wall-clock timeout; a crash,
a timeout or a refusal comes back as :class:`IntakeRefused` with its reason. The child reads
duration, codec, resolution, frame rate and the container's creation time, then seeks to up to
nine evenly spaced points and decodes one frame at each (refusing frames above 8K), and draws
them with their time codes into one PNG.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from evidence_app.errors import IntakeRefused

VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm", "video/x-matroska"})
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child
CPU_SECONDS = 60
WALL_SECONDS = 90
MAX_PIXELS = 7680 * 4320
FRAMES = 9
THUMB = (320, 180)


def probe_video(path: Path, sheet: Path) -> dict[str, Any]:
    """Run the child; its JSON facts, with the contact sheet written to ``sheet``."""

    try:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "evidence_app.intake_formats.video_probe",
                str(path),
                str(sheet),
            ],
            capture_output=True,
            text=True,
            timeout=WALL_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        raise IntakeRefused("intake.video_timeout", seconds=WALL_SECONDS) from exc
    if run.returncode != 0:
        try:
            refusal = json.loads(run.stdout.strip().splitlines()[-1])
            reason = str(refusal.get("refused", ""))
        except (ValueError, IndexError):
            reason = f"exit {run.returncode}"
        raise IntakeRefused("intake.video_unreadable", detail=reason[:160])
    facts: dict[str, Any] = json.loads(run.stdout)
    return facts


def _timecode(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _facts_and_sheet(path: str, sheet: str) -> dict[str, Any]:
    import av
    from PIL import Image, ImageDraw

    with av.open(path, metadata_errors="ignore") as container:
        streams = container.streams.video
        if not streams:
            raise ValueError("no video stream")
        stream = streams[0]
        ctx = stream.codec_context
        width, height = int(ctx.width or 0), int(ctx.height or 0)
        if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
            raise ValueError(f"frame size {width}x{height}")
        duration = float(container.duration / 1_000_000) if container.duration else 0.0
        if not duration and stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        facts: dict[str, Any] = {
            "video_codec": ctx.name,
            "video_width": width,
            "video_height": height,
            "video_duration": round(duration, 3),
            "video_fps": float(stream.average_rate) if stream.average_rate else None,
            "video_container": container.format.name,
            "video_audio": [a.codec_context.name for a in container.streams.audio],
        }
        created = container.metadata.get("creation_time") or stream.metadata.get("creation_time")
        if created:
            facts["video_creation_time"] = str(created)[:40]
        thumbs: list[tuple[float, Image.Image]] = []
        points = [duration * (i + 0.5) / FRAMES for i in range(FRAMES)] if duration else [0.0]
        for at in points:
            if stream.time_base:
                container.seek(int(at / stream.time_base), stream=stream, any_frame=False)
            frame = next(container.decode(stream), None)
            if frame is None:
                continue
            base = stream.time_base
            when = float(frame.pts * base) if frame.pts is not None and base else at
            if any(abs(when - seen) < 1e-6 for seen, _ in thumbs):
                continue  # seeking landed on a keyframe already shown
            image = frame.to_image()
            image.thumbnail(THUMB)
            thumbs.append((when, image))
        if not thumbs:
            raise ValueError("no frame could be decoded")
    columns = 3
    rows = (len(thumbs) + columns - 1) // columns
    cell_w, cell_h = THUMB[0] + 16, THUMB[1] + 40
    board = Image.new("RGB", (columns * cell_w + 16, rows * cell_h + 16), "white")
    draw = ImageDraw.Draw(board)
    for i, (when, image) in enumerate(thumbs):
        x, y = 16 + (i % columns) * cell_w, 16 + (i // columns) * cell_h
        board.paste(image, (x, y))
        draw.text((x, y + image.height + 6), _timecode(when), fill="black")
    board.save(sheet, format="PNG")
    facts["video_keyframes"] = [round(w, 3) for w, _ in thumbs]
    return facts


def _limit_self() -> None:
    """The child limits itself before FFmpeg is loaded (no preexec_fn: intake may run on a
    worker thread, where forking with a Python callback is unsafe)."""
    if os.name != "posix":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def main(argv: list[str]) -> int:
    _limit_self()
    try:
        facts = _facts_and_sheet(argv[0], argv[1])
    except Exception as exc:  # any failure of FFmpeg or of the file: refused, with its reason
        print(json.dumps({"refused": f"{type(exc).__name__}: {exc}"[:300]}))
        return 3
    print(json.dumps(facts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
