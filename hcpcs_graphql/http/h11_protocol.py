"""uvicorn's h11 protocol, guarded (http/protocols.py)."""

from __future__ import annotations

from uvicorn.protocols.http.h11_impl import H11Protocol

from hcpcs_graphql.http.protocols import Guarded


class H11(Guarded, H11Protocol):
    pass
