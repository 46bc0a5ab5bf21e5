"""Reusable widgets: status badges, the video view, the level meter, live graphs."""
