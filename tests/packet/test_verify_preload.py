"""Verify loads pyHanko in the background while the packet streams; no other thread may
import at the same time (two threads importing one module tree made a valid packet fail
with "partially initialized module" about 3 times in 20)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from testenv import REPO

TRACE = textwrap.dedent(
    """
    import json, sys, threading
    log = []

    class Tracer:
        def find_spec(self, name, path=None, target=None):
            log.append((threading.current_thread().name, name))
            return None

    sys.meta_path.insert(0, Tracer())
    from evidence_app.cli import main
    sys.argv = ["evidence-app", "verify", sys.argv[1], "--identity", sys.argv[2]]
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    print(json.dumps({"code": code, "log": log}))
    """
)


def test_no_thread_imports_while_the_preload_runs(exported, age_identity, tmp_path):
    ident = tmp_path / "id.txt"
    ident.write_text(str(age_identity) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", TRACE, str(exported.packet_path), str(ident)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    log = result["log"]
    spans = [i for i, (thread, _name) in enumerate(log) if thread == "preload"]
    assert spans, "verify no longer preloads: drop this test with the preload"
    during = [entry for entry in log[spans[0] : spans[-1]] if entry[0] != "preload"]
    assert during == []


def _verify_loop(packet, ident, times: int) -> list[str]:
    failures = []
    for _ in range(times):
        proc = subprocess.run(
            [sys.executable, "-m", "evidence_app", "verify", str(packet), "--identity", str(ident)],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if proc.returncode != 0:
            failures.append(proc.stderr[-300:])
    return failures


def test_verify_of_a_good_packet_never_fails_short_loop(exported, age_identity, tmp_path):
    ident = tmp_path / "id.txt"
    ident.write_text(str(age_identity) + "\n")
    assert _verify_loop(exported.packet_path, ident, 5) == []


@pytest.mark.soak
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("extra", [0, 8 << 20, 40 << 20])
def test_verify_of_a_good_packet_200_times(extra, signing, age_identity, tmp_path):
    """Sizes chosen so that streaming ends before, around and after the preload (~0.7 s)."""
    sys.path.append(str(REPO / "tests" / "packet"))
    from packet_helpers import frozen, make_case

    from evidence_app.exporters.packet import export_packet
    from evidence_app.store import CaseStore

    case = make_case(tmp_path, extra_blob=os.urandom(extra) if extra else None)
    with CaseStore.open(case, clock=frozen) as store:
        result = export_packet(
            store,
            tmp_path / "p.evpkt",
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    ident = tmp_path / "id.txt"
    ident.write_text(str(age_identity) + "\n")
    assert _verify_loop(result.packet_path, ident, 200) == []
