"""No function in Workbench is longer than 80 lines: a newcomer reads each on one screen, and
a new rule around the training loop becomes a callback, not another branch."""

from __future__ import annotations

import ast
from pathlib import Path

import workbench.core

CORE = Path(workbench.core.__file__).parent
PACKAGE = CORE.parent  # the window, the CLI and the exported script's template as well
LIMIT = 80


def long_functions(root: Path, limit: int = LIMIT) -> list[str]:
    """``file:line name (n lines)`` for every function or method over ``limit`` lines,
    counted from its ``def`` to its last line (decorators excluded, the docstring included)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} "
                                 f"({length} lines)")
    return found


def test_no_function_in_core_is_longer_than_80_lines():
    assert long_functions(CORE) == []


def test_no_function_anywhere_in_workbench_is_longer_than_80_lines():
    assert long_functions(PACKAGE) == []


def test_the_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "long.py").write_text(
        f"class A:\n    def short(self):\n        return 1\n\n"
        f"def long():\n{body}\n", encoding="utf-8")
    assert long_functions(tmp_path / "pkg") == [f"pkg/long.py:5 long ({LIMIT + 1} lines)"]
