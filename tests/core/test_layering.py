"""The ground floor never imports Qt: prove it by importing it with Qt made unimportable."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path


def test_core_and_config_import_without_qt():
    code = textwrap.dedent(
        """
        import sys

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"):
                    raise ImportError("Qt is blocked in this test: " + name)
                return None

        sys.meta_path.insert(0, Block())
        import workbench.config, workbench.cli
        import workbench.core.engine, workbench.core.data, workbench.core.modelfile
        import workbench.core.models, workbench.core.devices, workbench.core.augment
        bad = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "pyqtgraph")]
        assert not bad, bad
        print("ok")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_config_imports_without_torch():
    code = (
        "import sys, workbench.config\n"
        "assert 'torch' not in sys.modules, 'config imported torch'\n"
        "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


# -- contracts between the rooms, checked on the source (every import, also inside functions) ----


PACKAGE = Path(__file__).resolve().parents[2] / "workbench"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = parts[:len(parts) - node.level]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _files(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py")) if folder else []


def test_core_and_config_never_import_the_window_qt_or_pyqtgraph() -> None:
    for path in [*_files("core"), PACKAGE / "config.py"]:
        bad = {m for m in _imports(path)
               if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")
               or m.startswith("workbench.ui")}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_panels_never_import_the_main_window_or_the_features() -> None:
    for path in _files("ui/panels"):
        bad = {m for m in _imports(path)
               if m.startswith(("workbench.ui.main_window", "workbench.ui.features"))}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_the_command_line_imports_the_window_only_to_open_it() -> None:
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "workbench.ui"):
                assert func.name == "_open_window", f"cli.{func.name} imports {node.module}"
    top = {m for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
           for m in ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names])}
    assert not {m for m in top if m.startswith("workbench.ui")}
