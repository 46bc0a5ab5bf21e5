"""Report rendering: JSON (the contract), plain text; later formats register in ``WRITERS``."""
