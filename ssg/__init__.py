"""ssg: a static site generator for a poetic anthology of dreams."""

__version__ = "0.1.0"
