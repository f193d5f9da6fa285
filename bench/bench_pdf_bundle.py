"""PDF bundle vs img2pdf + qpdf on the same pages (PRODUCT.md §8).

Usage: .venv/bin/python bench/bench_pdf_bundle.py [--sizes 150x10,300x20] [--repeat 3]

For each size SxP: generates S screenshots (1920x1080 PNG) and P ten-page PDFs, imports them
into a fresh case through the store, then, each in a fresh child process (so that peak RSS is
that run's own):
- baseline: ``img2pdf`` (rotation=none) of the S screenshots into one PDF, then
  ``qpdf --empty --pages ... --`` merging it with the P PDFs;
- ours: ``build_bundle`` (preflight with re-hashing, cover/statement/index, captions, stamps,
  page numbers, outline, links, metadata, atomic write with fsync, SHA-256 of the output).
Module imports happen before the clock starts, in both children. The page cache is flushed
(``os.sync``) before every run, so that writing back the generated files does not slow
whichever run comes next. Prints the best and worst of N wall times, the ratio of the bests
(ours / baseline), CPU seconds of the best runs (ours uses worker threads: CPU can exceed
wall time) and peak RSS. The goal is a ratio of at most 1.5 and a peak RSS that does not grow
with the page count.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD_BASELINE = """
import json, resource, subprocess, sys, time
import img2pdf
shots, pdfs, out = sys.argv[1], sys.argv[2], sys.argv[3]
shots = [l for l in open(shots).read().splitlines() if l]
pdfs = [l for l in open(pdfs).read().splitlines() if l]
t = time.perf_counter()
c = resource.getrusage(resource.RUSAGE_SELF)
with open(out + ".img.pdf", "wb") as fh:
    img2pdf.convert(shots, outputstream=fh, rotation=img2pdf.Rotation.none)
subprocess.run(["qpdf", "--empty", "--pages", out + ".img.pdf", *pdfs, "--", out], check=True)
elapsed = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime - c.ru_utime - c.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "rss_kib": max(me.ru_maxrss, kids.ru_maxrss)}))
"""

CHILD_OURS = """
import datetime, json, resource, sys, time
from pathlib import Path
from evidence_app.exporters.pdf import build_bundle
from evidence_app.store import CaseStore
store = CaseStore.open(sys.argv[1])
case = store.load()
clock = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
t = time.perf_counter()
c = time.process_time()
result = build_bundle(case, store.blobs, Path(sys.argv[2]), clock=clock)
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "cpu": time.process_time() - c,
                  "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "pages": result.page_count}))
"""


def make_screenshot(path: Path, n: int) -> None:
    """A 1080p screenshot of a post: flat UI, text bars, and a photo (noise, incompressible),
    ~0.7 MB as PNG like a real one."""
    import os

    from PIL import Image, ImageDraw

    im = Image.new("RGB", (1920, 1080), "white")
    photo = Image.frombytes("RGB", (640, 360), os.urandom(640 * 360 * 3))
    d = ImageDraw.Draw(im)
    d.rectangle([0, 0, 1920, 80], fill=(20 + n % 200, 90, 200))
    for i in range(24):
        y = 120 + i * 38
        d.rectangle(
            [60 + (n * 7 + i * 13) % 90, y, 1800 - (n * 31 + i * 57) % 700, y + 20],
            fill=(50, 50, 50),
        )
    d.rectangle([1500, 700, 1860, 1000], fill=((n * 40) % 255, 120, 60))
    d.text((80, 1040), f"screenshot {n}", fill=(0, 0, 0))
    im.paste(photo, (700, 620))
    im.save(path, format="PNG", compress_level=6)


def make_pdf(path: Path, n: int) -> None:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), invariant=1)
    for page in range(10):
        c.setFont("Helvetica", 12)
        for line in range(40):
            c.drawString(60, 800 - line * 18, f"document {n} page {page + 1} line {line + 1} " * 2)
        c.showPage()
    c.save()


def prepare(root: Path, shots: int, pdfs: int) -> tuple[Path, list[Path], list[Path]]:
    sys.path.insert(0, str(REPO))
    from evidence_app.model import Complainant, EvidenceItem, EvidenceKind
    from evidence_app.store import CaseStore

    files = root / "files"
    files.mkdir(parents=True)
    shot_paths, pdf_paths = [], []
    for i in range(shots):
        p = files / f"shot{i:04d}.png"
        make_screenshot(p, i)
        shot_paths.append(p)
    for i in range(pdfs):
        p = files / f"doc{i:03d}.pdf"
        make_pdf(p, i)
        pdf_paths.append(p)
    store = CaseStore.create(root / "bench", "基准测试")
    store.set_complainant(Complainant(name="基准测试科技有限公司"))
    for p in shot_paths + pdf_paths:
        with open(p, "rb") as fh:
            staged = store.blobs.stage(fh)
        is_pdf = p.suffix == ".pdf"
        store.add_evidence(
            staged,
            EvidenceItem(
                kind=EvidenceKind.OTHER if is_pdf else EvidenceKind.CAPTURE,
                title=p.stem,
                original_name=p.name,
                media_type="application/pdf" if is_pdf else "image/png",
                fields={} if is_pdf else {"source_url": "https://example.cn/post/1"},
            ),
        )
    store.close()
    return root / "bench.evcase", shot_paths, pdf_paths


def run_child(code: str, *args: str) -> dict[str, float]:
    os.sync()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="150x10,300x20", help="SCREENSHOTSxPDFS,...")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for size in args.sizes.split(","):
        shots, pdfs = (int(v) for v in size.split("x"))
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            case, shot_paths, pdf_paths = prepare(root, shots, pdfs)
            (root / "shots.txt").write_text("\n".join(map(str, shot_paths)))
            (root / "pdfs.txt").write_text("\n".join(map(str, pdf_paths)))
            base = [
                run_child(
                    CHILD_BASELINE,
                    str(root / "shots.txt"),
                    str(root / "pdfs.txt"),
                    str(root / f"base{i}.pdf"),
                )
                for i in range(args.repeat)
            ]
            ours = [
                run_child(CHILD_OURS, str(case), str(root / f"ours{i}.pdf"))
                for i in range(args.repeat)
            ]
            b = min(base, key=lambda r: r["seconds"])
            o = min(ours, key=lambda r: r["seconds"])
            mb = sum(p.stat().st_size for p in shot_paths + pdf_paths) / 2**20
            rows.append(
                (
                    size,
                    int(ours[0]["pages"]),
                    mb,
                    f"{b['seconds']:.2f}-{max(r['seconds'] for r in base):.2f}",
                    f"{o['seconds']:.2f}-{max(r['seconds'] for r in ours):.2f}",
                    o["seconds"] / b["seconds"],
                    f"{b['cpu']:.2f}/{o['cpu']:.2f}",
                    max(r["rss_kib"] for r in base) / 1024,
                    max(r["rss_kib"] for r in ours) / 1024,
                    (root / "ours0.pdf").stat().st_size / 2**20,
                )
            )
    print(
        f"{'size':>10} {'pages':>6} {'input MiB':>9} {'baseline s':>11} {'ours s':>11} "
        f"{'ratio':>6} {'CPU s b/o':>10} {'base RSS MiB':>12} {'our RSS MiB':>11} {'out MiB':>8}"
    )
    for size, pages, mb, b, o, ratio, cpu, brss, orss, outmb in rows:
        print(
            f"{size:>10} {pages:>6} {mb:>9.1f} {b:>11} {o:>11} {ratio:>6.2f} {cpu:>10} "
            f"{brss:>12.1f} {orss:>11.1f} {outmb:>8.1f}"
        )


if __name__ == "__main__":
    main()
