"""The ground floor never imports Qt: prove it by importing it with Qt made unimportable."""

import subprocess
import sys
import textwrap


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
