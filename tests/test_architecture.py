"""The import contracts of pyproject.toml hold (lint-imports), and a violation of them is caught."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("qa", "ingest", "ui", "eval")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the packages under `cwd` are analysed, not the installed (editable) ones.
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)


def test_import_contracts_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module,line,contract", [
    ("qa/verify.py", "from eval.metrics import contains_gold", "qa and ingest never import ui or eval"),
    ("qa/generate.py", "def _lazy():\n    import ingest.pipeline", "Inside qa only the DocQA facade imports ingest"),
    ("qa/models.py", "def _lazy():\n    import qa.api", "Layers"),
    ("ingest/chunker.py", "def _lazy():\n    import qa.retrieval", "Ingest, retrieval and answering stay apart"),
    ("ui/webchat.py", "def _lazy():\n    import qa.store", "reach documents only through the DocQA facade"),
])
def test_a_violation_fails_the_contracts(tmp_path, module, line, contract):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "out"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, result.stdout


def test_package_edges_point_down():
    from eval.imports import ORDER, part_edges, upward

    edges = part_edges()
    assert not upward(edges), upward(edges)
    assert ("ui", "facade") in edges and ("eval", "facade") in edges and ("facade", "ingest") in edges
    assert not [e for e in edges if "other" in e], "every module belongs to a part of eval/imports.py"
    assert ORDER[0] == "ui" and ORDER[-1] == "core"


def test_every_qa_module_is_placed_in_a_layer():
    """A new module under qa/ must be named in the import contracts, or the layers say nothing about it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"]
    layers = next(c for c in config if c["id"] == "layers")["layers"]
    named = {m.strip() for layer in layers for m in layer.split(":")}
    modules = {f"qa.{p.stem}" for p in (ROOT / "qa").glob("*.py") if p.stem != "__init__"} | {"qa.generators"}
    modules -= {"qa.generators." + p.stem for p in (ROOT / "qa" / "generators").glob("*.py")}
    assert sorted(modules - named) == []


# Size rules of the house style: functions <= ~60 lines, modules <= ~400 ---------------------------------------

FUNCTION_LIMIT = 60
# "path::dotted name" -> why it may be longer. Empty: every function fits; keep a reason beside any entry added.
LONG_FUNCTIONS: dict[str, str] = {}


def test_no_function_is_longer_than_the_limit():
    from eval.longest_functions import over

    assert [f"{f.where} {f.name} ({f.lines} lines)" for f in over(FUNCTION_LIMIT, ROOT, LONG_FUNCTIONS)] == []


def test_the_function_length_check_can_fail(tmp_path):
    from eval.longest_functions import functions, over

    body = "\n".join(f"    x{i} = {i}" for i in range(FUNCTION_LIMIT))
    (tmp_path / "qa").mkdir()
    (tmp_path / "qa" / "long.py").write_text(f"class C:\n    def m(self):\n    {body.replace(chr(10), chr(10) + '    ')}\n"
                                             f"\n\ndef short():\n    return 1\n", encoding="utf-8")
    found = {f.name: f.lines for f in functions(tmp_path, ("qa",))}
    assert found == {"C.m": FUNCTION_LIMIT + 1, "short": 2}
    assert [f.name for f in over(FUNCTION_LIMIT, tmp_path)] == ["C.m"]
    assert over(FUNCTION_LIMIT, tmp_path, {"qa/long.py::C.m": "why"}) == []


MODULE_LIMIT = 400
# "path" -> why it may be longer (none today).
LONG_MODULES: dict[str, str] = {}


def test_no_module_is_longer_than_the_limit():
    long = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MODULE_LIMIT and rel not in LONG_MODULES:
                long[rel] = lines
    assert long == {}
