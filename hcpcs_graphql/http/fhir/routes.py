"""The facade's routes under /fhir, from the table of what it implements."""

from __future__ import annotations

from starlette.routing import Route, Router

from hcpcs_graphql.http.fhir.capability import metadata
from hcpcs_graphql.http.fhir.operations import OPERATIONS, READS
from hcpcs_graphql.http.fhir.respond import endpoint, not_found
from hcpcs_graphql.http.middleware.metrics import Metrics

# Every method reaches the endpoint, which refuses the ones it does not take in FHIR's terms.
ANY = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def fhir_router(metrics: Metrics) -> Router:
    """The facade's routes, below the path the app mounts it at (system.PREFIX)."""
    routes = [Route("/metadata", endpoint("metadata", metadata, metrics), methods=ANY)]
    routes += [
        Route(
            op.path,
            endpoint(f"{op.resource}/${op.name}", op.handler, metrics, ("GET", "POST")),
            methods=ANY,
        )
        for op in OPERATIONS
    ]
    routes += [
        Route(read.path, endpoint(f"{read.resource} {read.interaction}", read.handler, metrics),
              methods=ANY)
        for read in READS
    ]  # fmt: skip
    routes.append(Route("/{rest:path}", not_found, methods=ANY))
    return Router(routes=routes)
