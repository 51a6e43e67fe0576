"""lessonkit: one lesson source, every document a classroom needs."""

__version__ = "0.1.0"
