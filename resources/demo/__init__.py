"""Demo media for the GUI's demo mode; see README.md for origin and licence."""
