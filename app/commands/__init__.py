"""One module per ``techcheck`` sub-command; each defines ``register(subparsers)``."""
