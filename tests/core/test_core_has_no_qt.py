import subprocess
import sys
from pathlib import Path

import occe_bureau


def test_importing_every_core_module_loads_no_qt():
    root = Path(occe_bureau.__file__).parent
    modules = sorted(
        "occe_bureau." + ".".join(p.relative_to(root).with_suffix("").parts)
        for p in root.rglob("*.py")
        if "migrations" not in p.parts and p.name != "__init__.py"
    )
    assert len(modules) > 5
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=root.parent)
    assert result.returncode == 0, result.stdout + result.stderr
