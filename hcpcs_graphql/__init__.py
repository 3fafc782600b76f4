from __future__ import annotations

# The one place the version is written (pyproject.toml reads it from here): reading it back
# from the installed metadata imported importlib.metadata, about 20 ms of every start.
__version__ = "0.1.0"
