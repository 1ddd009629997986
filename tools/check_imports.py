"""The library/web import contract: only ``pilotage.web`` imports Django.

Outside ``src/pilotage/web`` no module may import ``django`` or ``pilotage.web``, except the
CLI, which may do so inside a function (lazily, when a command needs the web app). Checked two
ways: statically over every module's syntax tree, and by importing every library module in a
fresh interpreter and looking for Django in ``sys.modules``.

Run: ``python tools/check_imports.py`` (exit 1 and one line per violation when broken).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pilotage"
FORBIDDEN = ("django", "pilotage.web")
LAZY_ALLOWED = {"cli.py", "cli_actions.py"}  # the command line: lazy web imports


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def _is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def library_modules(package: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in package.rglob("*.py") if "web" not in p.relative_to(package).parts)


def static_violations(package: Path = PACKAGE) -> list[str]:
    problems = []
    for path in library_modules(package):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        top_level = {id(n) for n in tree.body}
        rel = path.relative_to(package.parent)
        for node in ast.walk(tree):
            for name in _imported(node):
                if not _is_forbidden(name):
                    continue
                if path.name in LAZY_ALLOWED and id(node) not in top_level:
                    continue
                problems.append(f"{rel}:{node.lineno}: imports {name} outside pilotage.web")
    return problems


def runtime_violations() -> list[str]:
    names = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in library_modules()
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', "
        "'pilotage.web')))\n"
        "print('\\n'.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return [f"importing the library loaded {m}" for m in out.split()]


def main() -> int:
    problems = static_violations() + runtime_violations()
    for problem in problems:
        print(problem)
    if not problems:
        print(f"import contract: {len(library_modules())} library modules, none imports Django")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
