"""TechCheck's application layer: the CLI, the Qt GUI and the report renderers.

The engine lives in ``checks`` and knows nothing of this package.
"""

from techcheck.checks import __version__

__all__ = ["__version__"]
