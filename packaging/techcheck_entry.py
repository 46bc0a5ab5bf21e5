"""Entry point of the frozen app: ``TechCheck`` opens the window, ``TechCheck selftest`` (or any
other sub-command) runs the CLI, exactly as the ``techcheck`` console script does."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # Finder used to pass a process serial number (-psn_0_12345) to apps it launches.
    sys.argv = [a for a in sys.argv if not a.startswith("-psn_")]
    from techcheck.app.cli import main

    sys.exit(main())
