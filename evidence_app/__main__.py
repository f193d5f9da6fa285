import sys

if __name__ == "__main__" and sys.argv[1:] == ["--version"]:
    # Answered before anything is imported: scripts call it to probe the installation.
    from evidence_app import __version__

    print(f"evidence-app {__version__}")
    sys.exit(0)

from evidence_app.cli import run

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # Only a frozen app re-enters here in its helper processes; importing
        # multiprocessing otherwise costs start-up time (--version, --help).
        import multiprocessing

        multiprocessing.freeze_support()
    run()
