"""uvicorn's httptools protocol, guarded (http/protocols.py)."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from hcpcs_graphql.http.protocols import Guarded


class HttpTools(Guarded, HttpToolsProtocol):
    pass
