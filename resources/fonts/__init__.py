"""Bundled fonts (package data)."""
