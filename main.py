"""Launch Autograd Playground: ``python main.py [SCRIPT.py] [--run] [--screenshot OUT.png]``."""

import sys

from autograd_playground.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
