"""An ASGI app made when its first request comes: what only some requests need (the FHIR
facade) is then no part of every start."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send


class OnFirstRequest:
    def __init__(self, make: Callable[[], ASGIApp]) -> None:
        self._make = make
        self._app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # MAKE runs to its end before any other request is looked at: it is made once.
        if self._app is None:
            self._app = self._make()
        await self._app(scope, receive, send)
