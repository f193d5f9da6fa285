"""``evidence-app selftest``: every check passes here, each failure is reported by name."""

from __future__ import annotations

import json
import subprocess
import sys

from evidence_app.app import selftest


def test_selftest_cli_passes_and_reports_every_check():
    run = subprocess.run(
        [sys.executable, "-m", "evidence_app", "selftest", "--json"],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    doc = json.loads(run.stdout)
    assert doc["ok"] and [c["name"] for c in doc["checks"]] == [n for n, _ in selftest.CHECKS]


def test_a_failing_check_is_named_and_the_rest_still_run(monkeypatch):
    def broken(_work):
        raise RuntimeError("font missing")

    checks = [("resources", broken), *selftest.CHECKS[3:]]
    monkeypatch.setattr(selftest, "CHECKS", checks)
    outcomes = selftest.run_selftest()
    assert [(o.name, o.ok) for o in outcomes] == [("resources", False), ("helper_process", True)]
    assert "font missing" in outcomes[0].detail
