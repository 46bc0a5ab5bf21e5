"""TechCheck's engine: the result model, plug-in registry, runner, profiles and the checks.

Nothing in this package imports Qt (an import-linter contract and a test enforce it), so the
GUI, the CLI and the tests all run exactly the same analysis.
"""

from functools import cache


@cache
def version() -> str:
    """TechCheck's version, from the installed distribution's metadata. Read on first use,
    not at import: ``importlib.metadata`` is about 20 ms of the app's start-up (issue 22)."""
    from importlib import metadata

    try:
        return metadata.version("techcheck")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    """``techcheck.checks.__version__``, computed when first asked for (PEP 562)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
