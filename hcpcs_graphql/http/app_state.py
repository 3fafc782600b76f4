"""The app's state (app.state): Starlette's State, whose values are also plain attributes."""

from __future__ import annotations

from starlette.datastructures import State


class AppState(State):
    """Starlette's State keeps its values in a dict read by `__getattr__`, after the attribute
    lookup failed: a Python call each read, and a request reads about ten (the catalog, the
    connection, the content tags, ...). Here that dict is the object's own `__dict__`, where
    the lookup finds them at once; State's writes and item access go to the same dict."""

    def __init__(self) -> None:
        super().__init__(self.__dict__)
