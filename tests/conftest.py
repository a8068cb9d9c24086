"""Shared fixtures. Test helpers live in tests/support (on sys.path via
pyproject's pytest `pythonpath`), never in a package called `tests`:
argos-translate installs a top-level `tests` package of its own."""
