"""TechCheck's engine: the result model, plug-in registry, runner, profiles and the checks.

Nothing in this package imports Qt (an import-linter contract and a test enforce it), so the
GUI, the CLI and the tests all run exactly the same analysis.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("techcheck")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
