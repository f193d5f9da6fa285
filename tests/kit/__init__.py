"""The shared test kit: what tests, benchmarks and scripts used to write each for itself —
a fixed clock, case builders, image and PDF makers, the ``openssl cms -verify`` call and the
export-wizard driver. Import the module you need (``from kit.wizard import ...``); ``tests/``
is on ``sys.path`` for the tests (tests/conftest.py), and bench/ and scripts/ put it there."""
