"""The load test's reference server: a bare Starlette app that answers POST/GET /graphql with
pre-encoded bytes held in memory, served by uvicorn with the settings `hcpcs serve` uses.

bench/serve.py starts it as a subprocess:

    python bench/reference_app.py --body FILE --host 127.0.0.1 --port P --workers N

It reads the request body (as the GraphQL endpoint must) and answers with FILE's bytes, so
what it measures is the floor that uvicorn + Starlette + the network stack put under any
endpoint returning the same response.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hcpcs_graphql.http.stacks import DEFAULT_STACK, STACKS

BODY_ENVIRONMENT = "BENCH_REFERENCE_BODY"


def create_app(body: bytes) -> Starlette:
    async def graphql(request: Request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def app_from_environment() -> Starlette:
    """The factory uvicorn calls in each worker: the body's file comes from the environment."""
    return create_app(Path(os.environ[BODY_ENVIRONMENT]).read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--body", type=Path, required=True, help="the bytes to answer with")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--stack",
        choices=list(STACKS),
        default=DEFAULT_STACK,
        help=f"uvicorn's event loop and HTTP parser, as `hcpcs serve --stack` (default: "
        f"{DEFAULT_STACK}; uvicorn's own default would take uvloop when it is installed)",
    )
    args = parser.parse_args()
    loop, http = STACKS[args.stack]
    os.environ[BODY_ENVIRONMENT] = str(args.body.resolve())
    # The same uvicorn settings as hcpcs_graphql.http.server.serve.
    uvicorn.run(
        "reference_app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop=loop,
        http=http,
        access_log=False,
        log_level="info",
    )


if __name__ == "__main__":
    main()
