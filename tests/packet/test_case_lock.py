"""One case, many processes: writers take the case lock, a second writer is refused with a
message naming the first; readers never wait and never delete; leftovers are removed only
when their owner is provably gone (issue: 10 of 18 concurrent runs failed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from packet_helpers import SIGN_PASS
from testenv import REPO

from evidence_app.crypto.identities import serialize_p12
from evidence_app.store import CaseStore

PY = [sys.executable, "-m", "evidence_app"]
BUSY = "案件正在被另一个进程使用"


@pytest.fixture
def case(case_path, tmp_path):
    copy = tmp_path / "case.evcase"
    shutil.copytree(case_path, copy)
    return copy


@pytest.fixture
def tools(signing, age_identity, tmp_path):
    p12 = tmp_path / "s.p12"
    p12.write_bytes(serialize_p12(signing, SIGN_PASS))
    png = tmp_path / "new.png"
    from PIL import Image

    Image.new("RGB", (64, 48), "red").save(png)
    return {"p12": p12, "png": png, "recipient": str(age_identity.to_public())}


def _command(kind, case, tools, n):
    out = case.parent / f"out{n}.evpkt"
    if kind == "import":
        png = case.parent / f"new{n}.png"
        data = tools["png"].read_bytes() + n.to_bytes(2, "big")  # distinct files
        png.write_bytes(data)
        return [*PY, "import", str(case), str(png), "--kind", "capture"]
    if kind == "export":
        return [
            *PY,
            "export",
            str(case),
            "--out",
            str(out),
            "--recipient",
            tools["recipient"],
            "--sign",
            str(tools["p12"]),
            "--sign-pass-env",
            "SIGN_PASS",
            "--allow-gaps",
        ]
    return [*PY, kind, str(case)]


@pytest.mark.parametrize(
    "pair",
    [("import", "import"), ("import", "export"), ("export", "audit"), ("export", "export")],
)
def test_two_processes_on_one_case(pair, case, tools):
    env = {**os.environ, "SIGN_PASS": SIGN_PASS}
    procs = [
        subprocess.Popen(
            _command(kind, case, tools, n),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for n, kind in enumerate(pair)
    ]
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for kind, (proc, _out, err) in zip(pair, results, strict=True):
        refused = proc.returncode == 1 and BUSY in err
        assert proc.returncode == 0 or (refused and kind != "audit"), (kind, err)
    audit = subprocess.run([*PY, "audit", str(case)], capture_output=True, text=True, env=env)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_second_writer_is_refused_naming_the_first(case, tools):
    from evidence_app.store.lock import CaseLock

    with CaseLock(case, "import"):
        r = subprocess.run(_command("import", case, tools, 1), capture_output=True, text=True)
        assert r.returncode == 1
        assert BUSY in r.stderr and "导入" in r.stderr
        assert "自 " in r.stderr and "Traceback" not in r.stderr
        for reader in ("audit", "check"):  # readers neither wait nor fail
            r = subprocess.run([*PY, reader, str(case)], capture_output=True, text=True)
            assert r.returncode in (0, 3), (reader, r.stderr)
        r = subprocess.run([*PY, "case", "show", str(case)], capture_output=True, text=True)
        assert r.returncode == 0
    r = subprocess.run(_command("import", case, tools, 2), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_live_leftovers_survive_other_openers_dead_ones_do_not(case):
    """A staging file and an export work folder of a live process are left alone by every
    other opener; once the owner is gone the next writer's open removes them."""
    from evidence_app.store.lock import job_dir, job_file

    staging, staging_owner, fd = job_file(case / "blobs", ".stage-", ".tmp")
    os.write(fd, b"being imported")
    os.close(fd)
    work, work_owner = job_dir(case / ".export-tmp", "export-")
    (work / "complaint.pdf").write_bytes(b"%PDF plaintext")
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from evidence_app.store import CaseStore; "
            "CaseStore.open(sys.argv[1], lock_for='import').close()",
            str(case),
        ],
        capture_output=True,
        text=True,
    )
    assert child.returncode == 0, child.stderr
    r = subprocess.run([*PY, "audit", str(case)], capture_output=True, text=True)
    assert r.returncode == 0
    assert staging.exists() and (work / "complaint.pdf").exists()
    staging_owner.release()  # the owner "dies": its lock is gone, the files stay behind
    work_owner.release()
    CaseStore.open(case, lock_for="import").close()
    assert not staging.exists() and not work.exists()


class _Gate:
    """A handshake: the worker signals it is mid-job and waits until the test lets it go."""

    def __init__(self):
        import threading

        self.reached = threading.Event()
        self.go = threading.Event()

    def pause(self, *_args):
        if not self.reached.is_set():
            self.reached.set()
            assert self.go.wait(timeout=120), "the test never let the job continue"


class _GatedSource:
    def __init__(self, data, gate):
        import io

        self._data = io.BytesIO(data)
        self._gate = gate

    def read(self, n=-1):
        chunk = self._data.read(min(n, 1024) if n and n > 0 else 1024)
        if chunk:
            self._gate.pause()
        return chunk


@pytest.mark.parametrize("second", ["import", "audit", "check", "case show", "export"])
def test_import_in_progress_survives_a_second_process(second, case, tools):
    """Seen: an import while another import ran refused the user's file as corrupt, and an
    audit during an export killed it (their opens deleted the first one's files)."""
    import threading

    from evidence_app.model import EvidenceItem, EvidenceKind

    gate = _Gate()
    store = CaseStore.open(case, lock_for="import")
    result = {}

    def importing():
        staged = store.blobs.stage(_GatedSource(tools["png"].read_bytes(), gate))
        item = EvidenceItem(kind=EvidenceKind.CAPTURE, title="进行中", media_type="image/png")
        result["item"] = store.add_evidence(staged, item)

    worker = threading.Thread(target=importing)
    worker.start()
    try:
        assert gate.reached.wait(timeout=60)
        args = second.split() if second != "import" and second != "export" else None
        cmd = [*PY, *args, str(case)] if args else _command(second, case, tools, 7)
        env = {**os.environ, "SIGN_PASS": SIGN_PASS}
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
        if second in ("import", "export"):
            assert r.returncode == 1 and BUSY in r.stderr, r.stderr
        else:
            assert r.returncode in (0, 3), r.stderr
    finally:
        gate.go.set()
        worker.join()
        store.close()
    assert "item" in result
    r = subprocess.run([*PY, "audit", str(case)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("second", ["audit", "import", "export"])
def test_export_in_progress_survives_a_second_process(second, case, tools, signing, age_identity):
    import threading

    from evidence_app.exporters.packet import export_packet
    from evidence_app.packet import verify_packet

    gate = _Gate()
    store = CaseStore.open(case, lock_for="export")
    out = case.parent / "first.evpkt"
    result = {}

    def exporting():
        result["export"] = export_packet(
            store,
            out,
            recipients=[tools["recipient"]],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            progress=gate.pause,
        )

    worker = threading.Thread(target=exporting)
    worker.start()
    try:
        assert gate.reached.wait(timeout=120)
        cmd = [*PY, "audit", str(case)] if second == "audit" else _command(second, case, tools, 8)
        env = {**os.environ, "SIGN_PASS": SIGN_PASS}
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
        if second == "audit":
            assert r.returncode == 0, r.stderr
        else:
            assert r.returncode == 1 and BUSY in r.stderr, r.stderr
    finally:
        gate.go.set()
        worker.join()
        store.close()
    assert "export" in result
    r = subprocess.run([*PY, "audit", str(case)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert verify_packet(out, identities=[age_identity]).ok
