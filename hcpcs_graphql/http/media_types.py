"""Which media type a GraphQL answer goes out as (GraphQL over HTTP): the spec's
`application/graphql-response+json` when the client accepts it at least as well as
`application/json`; `application/json` otherwise (no Accept, `*/*`, or only JSON). In the spec's
type, a request error (one the server finds before execution: the document does not parse or
validate, the variables do not coerce) has a 4xx status and no `data` key."""

from __future__ import annotations

import functools

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


@functools.lru_cache(maxsize=256)
def negotiate(accept: str) -> str:
    # Read three times a request (the HTTP cache, the view); clients send few distinct values.
    qualities: dict[str, float] = {}
    for item in accept.split(","):
        media_type, *parameters = item.split(";")
        media_type = media_type.strip().lower()
        if media_type in (JSON, GRAPHQL_RESPONSE):
            qualities[media_type] = max(qualities.get(media_type, 0.0), _quality(parameters))
    spec = qualities.get(GRAPHQL_RESPONSE, 0.0)
    return GRAPHQL_RESPONSE if spec > 0 and spec >= qualities.get(JSON, 0.0) else JSON
