"""The production install as README's "systemd" section does it: a clean
venv with the pip that ships with Python (no upgrade: that is the pip an
operator has) and `pip install` of the checkout. With pip 23.x an
undeclared extra went missing (jusText asks for `lxml[html_clean]`, which
that pip does not match to lxml's `html-clean` extra), and every remote
feed source then failed on import. Slow (a real install; pip's cache is
reused), but it is the only test of the dependency set itself."""
from __future__ import annotations

import ensurepip
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# What a fresh clone holds, not what this checkout has built or generated.
NOT_SHIPPED = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "data", "rejected", "__pycache__",
                                     ".pytest_cache")

SMOKE = textwrap.dedent('''
    import importlib, pkgutil
    import lxml.html.clean  # what jusText imports; a separate project since lxml 5.2
    import syndicate
    # Every module of the package imports: every runtime dependency is declared.
    for m in pkgutil.walk_packages(syndicate.__path__, "syndicate."):
        if not m.name.endswith("__main__"):  # that one runs the command line
            importlib.import_module(m.name)
    from syndicate.sources.extract import extract
    page = ("<html lang='en'><head><title>Police chief visits</title></head><body><nav>Home | News</nav>"
            "<article><h1>Police chief visits</h1><p>" + "The provincial police chief met officers. " * 20
            + "</p></article></body></html>")
    out = extract(page, "https://example.gov.vn/a")
    assert out.language == "en" and out.paragraphs, out
    print("extracted", len(out.paragraphs), "paragraphs")
''')


def test_pip_install_with_the_pip_python_ships_gives_a_working_service(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(REPO, src, ignore=NOT_SHIPPED)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py, pip = venv / "bin" / "python", [str(venv / "bin" / "python"), "-m", "pip"]
    version = subprocess.run([*pip, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.split()[1] == ensurepip.version(), version  # the bundled pip, not upgraded
    r = subprocess.run([*pip, "install", "--quiet", "--disable-pip-version-check", str(src)],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run([str(py), "-c", SMOKE], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "extracted" in r.stdout
    r = subprocess.run([str(venv / "bin" / "syndicate"), "--version"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "syndicate, version" in r.stdout, r.stdout + r.stderr
