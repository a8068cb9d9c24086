"""No SQL outside syndicate/store/: the store is the one place that knows
the schema, so a table change never hunts through the other packages."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import syndicate

PACKAGE = Path(syndicate.__file__).parent
STORE = PACKAGE / "store"

SQL_CALLS = {"execute", "executemany", "executescript"}
# Case-sensitive: SQL here is written in capitals, prose is not.
SQL_TEXT = re.compile(
    r"\b(SELECT |INSERT INTO|INSERT OR |UPDATE \w+ SET|DELETE FROM|CREATE TABLE|CREATE INDEX|ALTER TABLE"
    r"|DROP TABLE|PRAGMA |BEGIN IMMEDIATE|COMMIT\b|ROLLBACK\b)"
)


def _python_files_outside_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def _sql_sites(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            found.append(f"{path}:{node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"{path}:{node.lineno}: {SQL_TEXT.search(node.value).group()!r} in a string")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if "sqlite3" in names:
                found.append(f"{path}:{node.lineno}: imports sqlite3")
    return sorted(found, key=lambda s: int(s.split(":")[1]))


def test_the_scan_sees_the_package_and_recognises_sql():
    files = _python_files_outside_store()
    assert PACKAGE / "pipeline.py" in files and not any(STORE in p.parents for p in files)
    # The same scan finds the store's own SQL, so a pass below means something.
    assert _sql_sites(STORE / "articles.py")


def test_no_sql_outside_the_store():
    sites = [s for p in _python_files_outside_store() for s in _sql_sites(p)]
    assert sites == [], "SQL belongs in syndicate/store/:\n" + "\n".join(sites)
