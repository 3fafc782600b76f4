"""One FHIR endpoint: the method refused unless allowed, the parameters read, the answer built
by the services GraphQL uses, then sent as application/fhir+json with an ETag (304 when the
client has it) and counted in the metrics of /graphql, under the operation's name. Every refusal
is an OperationOutcome; a fault of ours too, with a reference to the log."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Collection

from starlette.requests import Request
from starlette.responses import Response

from hcpcs_graphql.http.fhir.outcome import (
    FhirError,
    Issue,
    Resource,
    from_client_error,
    is_statement_timeout,
    operation_outcome,
)
from hcpcs_graphql.http.fhir.params import Params, read_params
from hcpcs_graphql.http.fhir.system import MEDIA_TYPE
from hcpcs_graphql.http.middleware.caching import entity_tags
from hcpcs_graphql.http.middleware.metrics import Metrics
from hcpcs_graphql.services.context import Context, make_context
from hcpcs_graphql.services.errors import ClientError

logger = logging.getLogger("hcpcs_graphql")

Handler = Callable[[Request, Context, Params], Awaitable[Resource]]
Endpoint = Callable[[Request], Awaitable[Response]]


def fhir_response(
    resource: Resource, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def refusal(error: FhirError) -> Response:
    headers = {"allow": error.allow} if isinstance(error, MethodNotAllowed) else None
    return fhir_response(operation_outcome([error.issue]), error.status, headers)


class MethodNotAllowed(FhirError):
    def __init__(self, method: str, allowed: Collection[str]) -> None:
        self.allow = ", ".join(allowed)
        super().__init__(405, "not-supported", f"{method} is not allowed here; use {self.allow}")


async def _etag(request: Request) -> str:
    # A loaded release never changes: the answer is fixed by what is served (releases, program),
    # today's date (the default release, statuses without a date) and the request itself.
    key = json.dumps(
        [
            request.app.state.fingerprint,
            datetime.date.today().isoformat(),
            "GET" if request.method == "HEAD" else request.method,  # HEAD: GET's headers
            request.url.path,
            sorted(request.query_params.multi_items()),
            (await request.body()).decode("utf-8", "replace") if request.method == "POST" else "",
        ]
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def endpoint(
    name: str, handler: Handler, metrics: Metrics, methods: Collection[str] = ("GET",)
) -> Endpoint:
    """The endpoint of HANDLER, recorded in METRICS as the operation `fhir NAME`."""
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods else ())

    async def serve(request: Request) -> Response:
        started = time.perf_counter()
        response, outcome = await _answer(request, handler, allowed)
        metrics.record(f"fhir {name}", outcome, time.perf_counter() - started)
        return response

    return serve


async def _answer(
    request: Request, handler: Handler, allowed: tuple[str, ...]
) -> tuple[Response, str]:
    state = request.app.state
    if request.method == "POST":
        # Read outside the try: past the body limit, BodyLimit (around the app) answers 413.
        await request.body()
    try:
        if request.method not in allowed:
            raise MethodNotAllowed(request.method, allowed)
        etag = await _etag(request)
        cache = {"etag": etag, "cache-control": f"public, max-age={state.settings.cache_seconds}"}
        if etag in entity_tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=cache), "not_modified"
        params = await read_params(request)
        context = make_context(state.connection, state.catalog, limits=state.settings.limits)
        try:
            resource = await handler(request, context, params)
        except ClientError as error:
            raise from_client_error(error) from None
    except FhirError as error:
        return refusal(error), "rejected"
    except Exception as error:
        if is_statement_timeout(error):
            text = "A database statement ran past its time limit and was stopped."
            return fhir_response(operation_outcome([Issue("error", "timeout", text)]), 503), "error"
        reference = secrets.token_hex(6)
        logger.error("internal error %s at %s", reference, request.url.path, exc_info=error)
        text = f"Internal error (reference {reference}): the server could not answer."
        return fhir_response(operation_outcome([Issue("fatal", "exception", text)]), 500), "error"
    return fhir_response(resource, headers=cache), "ok"


async def not_found(request: Request) -> Response:
    text = f"No FHIR endpoint {request.url.path}; GET /fhir/metadata lists what is implemented"
    return refusal(FhirError(404, "not-found", text))
