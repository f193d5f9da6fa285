"""Benchmark: packet export and verify vs the reference tools on the same evidence.

    .venv/bin/python bench/bench_packet.py [--sizes 100,1024] [--keep DIR]

For each evidence size (MiB of random originals in 64 MiB files):
- export: ``evidence-app``'s export_packet (PDF bundle, PAdES, manifest + CMS, stored ZIP
  streamed through age) vs ``zip -0 -q - FILES | age -r R > out`` on the same files;
- verify: verify_packet (decrypt, ZIP checks, CMS, every SHA-256, PAdES, custody) vs
  ``age -d -i KEY PACKET | openssl dgst -sha256``.
Each of our runs happens in a fresh subprocess that reports its own peak RSS and, for export,
the time spent in the PDF bundle step (``pdf``: build_bundle, which today re-hashes every blob
in its preflight). Every timed step starts after ``sync``, so that neither side pays for the
other's dirty pages (the disk here is shared and slow: 1 GiB + fsync takes 0.6-2.2 s).
Goal: ratios at most 1.5x, memory flat and under 250 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    import pyrage
    from evidence_app.crypto.identities import load_signing_identity
    from evidence_app.exporters.packet import export_packet
    from evidence_app.packet import verify_packet
    from evidence_app.store import CaseStore
    mode, case, packet, p12, key = sys.argv[1:6]
    import evidence_app.exporters.pdf as pdf
    pdf_seconds = 0.0
    build_bundle = pdf.build_bundle
    def timed_bundle(*args, **kwargs):
        global pdf_seconds
        begin = time.perf_counter()
        try:
            return build_bundle(*args, **kwargs)
        finally:
            pdf_seconds += time.perf_counter() - begin
    pdf.build_bundle = timed_bundle
    start = time.perf_counter()
    if mode == "export":
        signing = load_signing_identity(Path(p12), "bench-pass-1")
        identity = pyrage.x25519.Identity.from_str(Path(key).read_text().split()[-1])
        with CaseStore.open(case) as store:
            export_packet(store, Path(packet), recipients=[str(identity.to_public())],
                          passphrase=None, signing=signing, allow_gaps=True)
        ok = True
    else:
        identity = pyrage.x25519.Identity.from_str(Path(key).read_text().split()[-1])
        report = verify_packet(Path(packet), identities=[identity])
        ok = report.ok
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "ok": ok, "pdf": pdf_seconds}))
    """
)


def timed_shell(cmd: str, cwd: Path) -> float:
    os.sync()
    start = time.perf_counter()
    subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], cwd=cwd, check=True)
    return time.perf_counter() - start


def child(mode: str, case: Path, packet: Path, p12: Path, key: Path) -> dict[str, float]:
    os.sync()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(case), str(packet), str(p12), str(key)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_case(work: Path, mib: int) -> tuple[Path, list[Path]]:
    from evidence_app.model import Complainant, EvidenceItem, EvidenceKind
    from evidence_app.store import CaseStore

    src = work / "src"
    src.mkdir()
    files = []
    remaining = mib
    n = 0
    while remaining > 0:
        size = min(64, remaining)
        path = src / f"video{n:03d}.mp4"
        with open(path, "wb") as fh:
            for _ in range(size):
                fh.write(os.urandom(1 << 20))
        files.append(path)
        remaining -= size
        n += 1
    store = CaseStore.create(work / "case", "bench")
    with store:
        store.set_complainant(Complainant(name="基准测试有限公司", uscc="91350100M000100Y43"))
        for path in files:
            with open(path, "rb") as fh:
                staged = store.blobs.stage(fh)
            store.add_evidence(
                staged,
                EvidenceItem(kind=EvidenceKind.OTHER, title=path.stem, media_type="video/mp4"),
            )
    return work / "case.evcase", files


def run_size(mib: int, keep: Path | None) -> dict[str, float]:
    import datetime as dt

    from evidence_app.crypto.identities import new_signing_identity

    work = Path(tempfile.mkdtemp(prefix=f"bench-packet-{mib}-", dir=keep))
    try:
        case, files = make_case(work, mib)
        p12 = work / "s.p12"
        new_signing_identity(
            "基准测试有限公司", "91350100M000100Y43", "bench-pass-1", p12,
            lambda: dt.datetime.now(dt.UTC),
        )  # fmt: skip
        key = work / "key.txt"
        subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
        recipient = subprocess.run(
            ["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True
        ).stdout.strip()
        names = " ".join(str(f) for f in files)
        # warm the page cache once so both sides read from memory
        timed_shell(f"cat {names} > /dev/null", work)
        base_export = timed_shell(f"zip -0 -q - {names} | age -r {recipient} > base.age", work)
        ours_export = child("export", case, work / "p.evpkt", p12, key)
        base_verify = timed_shell(
            "age -d -i key.txt p.evpkt | openssl dgst -sha256 > /dev/null", work
        )
        ours_verify = child("verify", case, work / "p.evpkt", p12, key)
        assert ours_verify["ok"]
        return {
            "mib": mib,
            "export_s": ours_export["seconds"],
            "export_base_s": base_export,
            "export_ratio": ours_export["seconds"] / base_export,
            "export_peak_mb": ours_export["peak"] / 1e6,
            "export_pdf_s": ours_export["pdf"],
            "verify_s": ours_verify["seconds"],
            "verify_base_s": base_verify,
            "verify_ratio": ours_verify["seconds"] / base_verify,
            "verify_peak_mb": ours_verify["peak"] / 1e6,
        }
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1024", help="evidence sizes in MiB")
    parser.add_argument("--keep", type=Path, help="work under this folder and keep it")
    args = parser.parse_args()
    rows = [run_size(int(s), args.keep) for s in args.sizes.split(",")]
    out = io.StringIO()
    out.write(
        f"{'evidence':>9} | {'export':>7} {'(pdf)':>6} {'zip|age':>7} {'ratio':>5} {'peak':>7} | "
        f"{'verify':>7} {'age|dgst':>8} {'ratio':>5} {'peak':>7}\n"
    )
    for r in rows:
        out.write(
            f"{r['mib']:>5} MiB | {r['export_s']:>6.2f}s {r['export_pdf_s']:>5.2f}s "
            f"{r['export_base_s']:>6.2f}s {r['export_ratio']:>5.2f} "
            f"{r['export_peak_mb']:>5.0f}MB | "
            f"{r['verify_s']:>6.2f}s {r['verify_base_s']:>7.2f}s {r['verify_ratio']:>5.2f} "
            f"{r['verify_peak_mb']:>5.0f}MB\n"
        )
    print(out.getvalue(), end="")
    print("goal: ratios <= 1.5, peak memory flat and < 250 MB")


if __name__ == "__main__":
    main()
