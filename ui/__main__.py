"""`python -m ui` starts OCCE Bureau (also the PyInstaller entry point)."""

import sys

from ui.shell.app import main

if __name__ == "__main__":
    sys.exit(main())
