"""Bundled templates (package data)."""
