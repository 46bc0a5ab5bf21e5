"""TechCheck's application layer: the CLI, the Qt GUI and the report renderers.

The engine lives in ``checks`` and knows nothing of this package.
"""



def __getattr__(name: str) -> str:
    """``techcheck.app.__version__``: the engine's, read when first asked for."""
    if name == "__version__":
        from techcheck.checks import version

        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
