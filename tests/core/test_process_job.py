"""Long jobs in a helper process: result, progress, language, errors, crash, cancel."""

from __future__ import annotations

import os
import pickle
import threading

import helper_jobs
import pytest

from evidence_app.app.process_job import HelperFailed, run_in_process
from evidence_app.errors import Cancelled, EvidenceError, UsageError, VerificationFailed
from evidence_app.i18n import set_language
from evidence_app.jobs import CancelToken


def test_result_and_progress_come_back_from_another_process():
    steps = []
    set_language("en")
    result = run_in_process(helper_jobs.count, 3, progress=lambda *a: steps.append(a))
    assert result["pid"] != os.getpid()
    assert result["language"] == "en"  # the helper speaks the window's language
    assert steps[-1] == (3, 3, "step 3")  # the last step always arrives


def test_core_errors_arrive_as_themselves():
    with pytest.raises(UsageError) as info:
        run_in_process(helper_jobs.refuse)
    assert info.value.key == "error.cancelled"
    assert "refuse" in info.value.helper_traceback


def test_other_errors_are_reported_not_lost():
    with pytest.raises(HelperFailed) as info:
        run_in_process(helper_jobs.explode)
    assert "ValueError: not a core error" in info.value.message()
    with pytest.raises(HelperFailed) as info:
        run_in_process(helper_jobs.unpicklable)
    assert "pickle" in info.value.message()


def test_a_helper_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(HelperFailed) as info:
        run_in_process(helper_jobs.die, 7)
    assert info.value.key == "error.helper_died" and info.value.params["code"] == 7


def test_cancel_reaches_the_helper_which_cleans_up(tmp_path):
    started, partial = tmp_path / "started", tmp_path / "partial"
    token = CancelToken()
    outcome = {}

    def run():
        try:
            run_in_process(helper_jobs.wait_for_cancel, started, partial, cancel=token)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    while not started.exists():
        thread.join(0.01)
        assert thread.is_alive(), outcome
    assert partial.exists()
    token.cancel()
    thread.join(60)
    assert isinstance(outcome["error"], Cancelled)
    assert not partial.exists()  # the job's own clean-up ran in the helper


@pytest.mark.parametrize(
    "error",
    [
        UsageError("crypto.file_too_large", path="/x", limit=3),
        VerificationFailed("packet.bad_signature"),
        Cancelled(),
    ],
)
def test_every_core_error_pickles_with_key_and_params(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and isinstance(copy, EvidenceError)
    assert (copy.key, copy.params, copy.message()) == (error.key, error.params, error.message())


def test_a_killed_parent_cancels_the_helper_which_cleans_up(tmp_path):
    """The window's process dies (killed, crashed) mid-export: the helper must not finish
    the export on its own; it sees its parent gone at the next check and cleans up."""
    import signal
    import subprocess
    import sys
    import time

    from testenv import REPO

    started, partial = tmp_path / "started", tmp_path / "partial"
    script = (
        "import sys; sys.path.insert(0, sys.argv[3])\n"
        "from pathlib import Path\n"
        "import helper_jobs\n"
        "from evidence_app.app.process_job import run_in_process\n"
        "run_in_process(helper_jobs.wait_for_cancel, Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(started), str(partial), str(REPO / "tests")],
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert parent.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    assert partial.exists()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    while partial.exists():  # the helper's own clean-up, once it notices
        assert time.monotonic() < deadline, "the helper kept running after its parent died"
        time.sleep(0.02)
