"""Lists docqa's longest functions (`python -m eval.longest_functions`), and with `--max N` fails when one is longer,
so the "functions <= ~60 lines" house rule is something a command checks, not something a reviewer remembers."""

from __future__ import annotations

import argparse
import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("qa", "ingest", "ui", "eval")


@dataclass(frozen=True)
class Function:
    path: str  # relative to the repository root
    line: int
    name: str  # dotted through enclosing classes and functions
    lines: int  # from the `def` (decorators excluded) to the last line of the body

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _walk(node: ast.AST, path: str, prefix: str):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = prefix + child.name
            yield Function(path, child.lineno, name, child.end_lineno - child.lineno + 1)
            yield from _walk(child, path, name + ".")
        elif isinstance(child, ast.ClassDef):
            yield from _walk(child, path, prefix + child.name + ".")
        else:
            yield from _walk(child, path, prefix)


def functions(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> list[Function]:
    """Every function and method under the packages, nested ones too (a nested function counts inside its parent
    as well: the parent is as long as it reads)."""
    found: list[Function] = []
    for package in packages:
        for file in sorted((root / package).rglob("*.py")):
            rel = file.relative_to(root).as_posix()
            found.extend(_walk(ast.parse(file.read_text(encoding="utf-8"), rel), rel, ""))
    return sorted(found, key=lambda f: (-f.lines, f.path, f.line))


def over(limit: int, root: Path = ROOT, allowed: dict[str, str] | None = None) -> list[Function]:
    """Functions longer than `limit` lines, except those named in `allowed` ("path::name" -> reason)."""
    allowed = allowed or {}
    return [f for f in functions(root) if f.lines > limit and f"{f.path}::{f.name}" not in allowed]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.longest_functions", description=__doc__.split("\n")[0])
    parser.add_argument("--top", type=int, default=10, help="how many of the longest to print")
    parser.add_argument("--max", type=int, default=None, help="exit 1 if any function is longer than this")
    args = parser.parse_args(argv)
    found = functions()
    print(f"{'lines':>5}  {'function':<45} where")
    for f in found[:args.top]:
        print(f"{f.lines:>5}  {f.name:<45} {f.where}")
    if args.max is None:
        return 0
    long = [f for f in found if f.lines > args.max]
    for f in long:
        print(f"TOO LONG ({f.lines} > {args.max}): {f.name} {f.where}")
    return 1 if long else 0


if __name__ == "__main__":
    raise SystemExit(main())
