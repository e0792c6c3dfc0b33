"""What `pip install .` installs is enough to run dachu: every module the code (or a library it drives) loads
comes from a declared runtime dependency, never from one the dev extras happen to pull in.

`pip install .` without extras once broke `dachu review` (`No module named 'packaging'`: Ibis's SQL compilers
import it, Ibis does not declare it, and only the dev tools installed it). `.ci/run` also builds a plain venv and
runs `dachu demo` in it; these tests find the same class of mistake in seconds, in the dev venv.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dachu"


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _closure(requirements: list[Requirement]) -> set[str]:
    """The distributions a plain install brings: the declared ones and, recursively, what they require."""
    env = {"extra": ""}
    seen: set[str] = set()
    todo = [r for r in requirements if r.marker is None or r.marker.evaluate(env)]
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            subs = md.requires(req.name) or []
        except md.PackageNotFoundError:
            continue  # a dependency for another platform
        for text in subs:
            sub = Requirement(text)
            if sub.marker is None or sub.marker.evaluate(env):
                todo.append(sub)
    return seen


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """Top-level module → the distributions that provide it (stdlib and dachu left out)."""
    owners = md.packages_distributions()
    return {
        m: {canonicalize_name(d) for d in owners.get(m, [])}
        for m in modules
        if m not in sys.stdlib_module_names and m != "dachu" and m in owners
    }


def test_every_third_party_import_in_the_code_is_a_declared_dependency() -> None:
    imported: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    declared = {canonicalize_name(r.name) for r in _declared()}
    missing = {m: d for m, d in _distributions(imported).items() if not d & declared}
    assert not missing, f"imported by src/dachu but not in [project].dependencies: {missing}"


# A run of every area a plain install must serve: plan (+ workbook), simulate, import, review (Ibis compiles
# its SQL here), calendar file. Modules only the dev extras install are hidden, as in a plain venv: a library's
# optional import of one falls back, a required one fails the run with ModuleNotFoundError.
_RUN = """
import importlib.abc, sys, tempfile
BLOCKED = set(sys.argv[1].split(","))

class _PlainVenv(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (installed only by the dev extras)", name=name)
        return None

sys.meta_path.insert(0, _PlainVenv())
from typer.testing import CliRunner
from dachu.cli.main import app
out = tempfile.mkdtemp()
for args in (["demo", "--orders", "300", "--out", out], ["calendar", out + "/campaign.yaml", "--ics", out + "/c.ics"]):
    result = CliRunner().invoke(app, ["--lang", "en", *args])
    if result.exit_code != 0:
        import traceback
        traceback.print_exception(*result.exc_info)
        sys.exit(f"{args[0]} failed: {result.output[-2000:]}")
"""


def test_a_demo_runs_with_the_runtime_dependencies_alone() -> None:
    available = _closure(_declared())
    dev_only = {m for m, d in _distributions(set(md.packages_distributions())).items() if not d & available}
    assert "pytest" in dev_only  # the hiding works: a dev tool is hidden
    run = subprocess.run([sys.executable, "-c", _RUN, ",".join(sorted(dev_only))],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
