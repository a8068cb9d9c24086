"""The daemon: `syndicate run`'s cycle on a schedule in one long-lived
process. process.py owns the process (the Daemon, signals, the lock, the
embedded server, exit codes); reloader.py owns re-reading the config and the
glossary between cycles, keeping the last good version."""
from .process import Daemon, run_daemon  # noqa: F401
from .reloader import Reloader  # noqa: F401
