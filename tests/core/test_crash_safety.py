"""Kill an import at many moments (SIGKILL: no cleanup runs); the case must still open,
audit clean, and hold only complete originals."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from evidence_app.store import CaseStore

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from evidence_app.intake import import_files
    from evidence_app.store import CaseStore
    store = CaseStore.open(sys.argv[1])
    for name in sys.argv[2:]:
        import_files(store, [Path(name)])
        print("done", name, flush=True)
    print("all", flush=True)
    """
)


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    d = tmp_path_factory.mktemp("src")
    files = []
    for i in range(12):
        p = d / f"file{i:02d}.bin"
        # a few large files so that kills land in the middle of a copy, too
        size = 24 * 1024 * 1024 if i % 4 == 0 else 64 * 1024
        with open(p, "wb") as fh:
            fh.write(os.urandom(size))
        files.append(p)
    return files


@pytest.mark.parametrize("kill_after", [0, 1, 2, 4, 5, 7, 9, 11])
def test_kill_during_import(tmp_path, sources, kill_after):
    CaseStore.create(tmp_path / "c").close()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "c.evcase"), *map(str, sources)],
        stdout=subprocess.PIPE,
        text=True,
    )
    for _ in range(kill_after):
        line = child.stdout.readline()
        assert line.startswith("done")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()

    with CaseStore.open(tmp_path / "c") as store:
        report = store.audit()
        assert report.ok, report.problems
        case = store.load()
        assert len(case.evidence) >= kill_after
        expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
        for item in case.evidence:
            assert item.sha256 in expected
            assert (
                hashlib.sha256(store.blobs.path_for(item.sha256).read_bytes()).hexdigest()
                == item.sha256
            )
        assert not list(store.blobs.root.glob(".stage-*"))  # cleaned on open
        numbers = [e.number for e in case.evidence]
        assert numbers == list(range(1, len(numbers) + 1))


def test_kill_during_case_init_leaves_no_case(tmp_path, sources):
    import json

    # case.json names its files relative to its own folder (absolute paths are refused)
    desc = sources[0].parent / "case.json"
    desc.write_text(
        json.dumps(
            {
                "format": 1,
                "complainant": {"name": "甲", "uscc": "91110000600037341L"},
                "targets": [],
                "evidence": [{"file": p.name, "kind": "other"} for p in sources],
            }
        )
    )
    # Handshake: the child (the real `case init`) says when its half-created case holds one
    # imported exhibit, then blocks; it is killed at exactly that moment.
    child_code = textwrap.dedent(
        """
        import sys
        from evidence_app import casefile
        from evidence_app.cli import main
        real = casefile.import_files
        def gated(*args, **kwargs):
            out = real(*args, **kwargs)
            print("partial", flush=True)
            sys.stdin.readline()  # never answered: the test kills us here
            return out
        casefile.import_files = gated
        sys.exit(main(sys.argv[1:]))
        """
    )
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            child_code,
            "case",
            "init",
            str(tmp_path / "x"),
            "--from",
            str(desc),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = threading.Timer(120, child.kill)  # a child that never answers fails the test
    deadline.start()
    try:
        assert child.stdout.readline().strip() == "partial", child.stderr.read()
        partial = [
            p
            for p in tmp_path.iterdir()
            if p.name.startswith(".partial-") and not p.name.endswith(".lock")
        ]
        assert len(partial) == 1  # the half-created case exists, under its hidden name
    finally:
        deadline.cancel()
        child.kill()
        child.communicate(timeout=30)
    # Killed mid-way: nothing under the final name for anyone to open as a case.
    assert not (tmp_path / "x.evcase").exists()
