"""Import throughput vs `cp` + `openssl dgst -sha256` of the same files (PRODUCT.md §8).

Usage: .venv/bin/python bench/bench_import.py [--mib 512] [--files 64]

Generates random files, times the baseline (copy every file, then hash every copy with
openssl), then times `evidence_app.intake.import_files` into a fresh case (which copies,
hashes, fsyncs, sniffs and records each file). Prints both, the ratio, and peak RSS of the
import measured in a child process (so the generator's memory does not count).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import sys, time, resource
from pathlib import Path
from evidence_app.i18n import words
from evidence_app.intake import import_files
from evidence_app.store import CaseStore
store = CaseStore.create(sys.argv[1])
files = [Path(p) for p in sys.argv[2:]]
t = time.perf_counter()
out = import_files(store, files)
elapsed = time.perf_counter() - t
bad = [words(o.as_message()) for o in out if o.status != "imported"]
assert not bad, bad
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mib", type=int, default=512)
    ap.add_argument("--files", type=int, default=64)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        src = work / "src"
        src.mkdir()
        size = args.mib * 1024 * 1024 // args.files
        files = []
        for i in range(args.files):
            p = src / f"f{i:04d}.bin"
            with open(p, "wb") as fh:
                fh.write(os.urandom(size))
            files.append(p)
        subprocess.run(["sync"], check=False)

        dst = work / "copy"
        dst.mkdir()
        t = time.perf_counter()
        subprocess.run(["cp", *map(str, files), str(dst)], check=True)
        subprocess.run(["sync"], check=True)  # our import fsyncs; make the baseline durable too
        subprocess.run(
            ["openssl", "dgst", "-sha256", *map(str, sorted(dst.iterdir()))],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        baseline = time.perf_counter() - t

        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(work / "case"), *map(str, files)],
            check=True,
            capture_output=True,
            text=True,
        )
        ours_s, rss_kib = out.stdout.split()
        ours = float(ours_s)
        mib = args.mib
        print(f"files: {args.files} x {size / 1048576:.1f} MiB = {mib} MiB")
        rate = mib / baseline
        print(f"baseline cp + sync + openssl dgst -sha256: {baseline:.2f} s ({rate:.0f} MiB/s)")
        print(f"evidence-app import:                      {ours:.2f} s ({mib / ours:.0f} MiB/s)")
        print(f"ratio (ours / baseline): {ours / baseline:.2f}")
        print(f"peak RSS of the import process: {int(rss_kib) / 1024:.0f} MiB")
        print(
            f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
