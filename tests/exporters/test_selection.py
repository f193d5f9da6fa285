"""Exporting part of a case: chosen targets, their evidence and the company-wide evidence."""

from __future__ import annotations

import pytest

from evidence_app.app.demo import write_demo_case
from evidence_app.errors import UsageError
from evidence_app.exporters.selection import select_targets
from evidence_app.store import CaseStore


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory):
    path = write_demo_case(tmp_path_factory.mktemp("demo"))
    with CaseStore.open(path) as store:
        return store.load()


def test_one_target_keeps_its_evidence_and_company_wide_evidence(demo_case):
    subset = select_targets(demo_case, ["T2"])
    assert [t.id for t in subset.targets] == ["T2"]
    expected = [e.id for e in demo_case.evidence if not e.target_ids or "T2" in e.target_ids]
    assert [e.id for e in subset.evidence] == expected
    assert any(not e.target_ids for e in subset.evidence)  # the licence stays
    assert all(set(e.target_ids) <= {"T2"} for e in subset.evidence)
    # Numbers are the case's own (the statement may cite them); the case is untouched.
    by_id = {e.id: e.number for e in demo_case.evidence}
    assert all(e.number == by_id[e.id] for e in subset.evidence)
    assert [t.id for t in demo_case.targets] == ["T1", "T2", "T3"]


def test_all_or_none_means_the_whole_case(demo_case):
    assert select_targets(demo_case, None) is demo_case
    assert select_targets(demo_case, ["T3", "T1", "T2"]) is demo_case


def test_unknown_or_empty_selection_is_refused(demo_case):
    with pytest.raises(UsageError) as info:
        select_targets(demo_case, ["T1", "T9"])
    assert info.value.params["ids"] == "T9" and "T9" in info.value.message()
    with pytest.raises(UsageError):
        select_targets(demo_case, [])


def test_pdf_only_for_one_target_keeps_case_numbers(demo_case, tmp_path_factory):
    import json
    import subprocess
    import sys

    work = tmp_path_factory.mktemp("pdf-target")
    case_path = write_demo_case(work / "demo")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "evidence_app",
            "export",
            str(case_path),
            "--pdf-only",
            str(work / "t2.pdf"),
            "--target",
            "T2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    numbers = [e["number"] for e in json.loads(run.stdout)["exhibits"]]  # in bundle order
    expected = [e.number for e in demo_case.evidence if not e.target_ids or "T2" in e.target_ids]
    assert sorted(numbers) == expected and len(numbers) < len(demo_case.evidence)
