"""Exit codes: one vocabulary for every command, the run history and the
daemon, so a script or a unit file reads the same situation the same way
whichever command met it. The README's "Exit codes" table documents it.

Some situations share a number on purpose (a refused request and a bug are
both "did not do it", a config, glossary or lock problem are all "fix the
setup first"); they keep their own names so each call site says which one
it means.
"""
from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    # Unexpected failure: a bug, with its traceback.
    ERROR = 1
    # The request was refused and nothing changed (a duplicate glossary
    # entry, a package that fails its checks), or `glossary check` found
    # problems; the message says why.
    REFUSED = 1
    # Bad command line.
    USAGE = 2
    # The config file is missing or wrong; the message names the key.
    CONFIG = 2
    # The glossary has errors; each is printed with file:line.
    GLOSSARY = 2
    # Another run or daemon holds the data folder; the message names it.
    LOCKED = 2
    # An input file was rejected, or a source could not be read.
    INPUT = 3
    # A translation failed (takes precedence over INPUT).
    TRANSLATION = 4
    # The daemon exited before the current article finished.
    FORCED = 70
    # The machine, not syndicate: a read-only or full disk, a folder that
    # cannot be written, a corrupt database. 74 is sysexits' EX_IOERR.
    ENVIRONMENT = 74


# OSError numbers that mean the file system refused, not that syndicate
# erred. ENOTDIR: a file sits where a folder must be.
_ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a file is where a folder should be",
    errno.EIO: "input/output error",
}
# SQLite result codes (by name, so extended codes such as SQLITE_IOERR_WRITE
# match their family) that mean the file or its disk is the problem.
_SQLITE_FAMILIES = {
    "SQLITE_CORRUPT": "the database file is corrupt",
    "SQLITE_NOTADB": "the file is not an SQLite database",
    "SQLITE_FULL": "no space left for the database",
    "SQLITE_IOERR": "input/output error on the database",
    "SQLITE_READONLY": "the database cannot be written",
    "SQLITE_CANTOPEN": "the database cannot be opened",
    "SQLITE_PERM": "permission denied on the database",
}


def environment_problem(exc: BaseException, database: object = None) -> str | None:
    """One line naming the path and the cause when `exc` (or what it was
    raised from) is an environment failure, else None (a bug keeps its
    traceback). sqlite3 errors do not carry the file name: `database` does."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        line = _problem(exc, database)
        if line:
            return line
        exc = exc.__cause__ or exc.__context__
    return None


def _problem(exc: BaseException, database: object) -> str | None:
    if isinstance(exc, OSError) and exc.errno in _ENVIRONMENT_ERRNOS:
        where = exc.filename if exc.filename is not None else "(path not given)"
        return f"{where}: {_ENVIRONMENT_ERRNOS[exc.errno]} ({errno.errorcode[exc.errno]})"
    # sqlite3's errors carry the SQLite result code's name (SQL itself lives
    # in store/ alone, so no sqlite3 import here).
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str):
        for family, cause in _SQLITE_FAMILIES.items():
            if name == family or name.startswith(family + "_"):
                return f"{database or 'the database'}: {cause} ({exc})"
    return None
