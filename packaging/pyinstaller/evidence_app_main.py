"""Entry point of the frozen app (PyInstaller needs a script, not a console_scripts entry)."""

import multiprocessing

from evidence_app.cli import run

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the UI runs key generation in a helper process
    run()
