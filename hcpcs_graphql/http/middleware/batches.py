"""Batches: a POST body that is a JSON array of operations, off unless configured.

Each operation of a batch goes through the rest of the app as a request of its own, one after
the other: the request limits, persisted queries and the allow-list, the answer store and the
metrics apply to it alone. The answers come back as one JSON array, in the batch's order; an
operation the app refuses as a request (not a JSON object, no query) has an `errors` answer in
its place, so one bad operation does not fail the others. The batch as a whole is one body (the
body limit) and one request (the deadline). Its answer has no ETag and is not kept (those of its
operations are).

Strawberry's own batching (`StrawberryConfig.batching_config`) is not used: it runs the
operations inside the GraphQL view, past persisted queries and the allow-list, answers the whole
batch with a 400 when one operation has no query, and fails with a 500 on an operation that is
not a JSON object."""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.http.errors import code_for, error_body, error_response
from hcpcs_graphql.http.request_body import read_messages

BATCH_MAX = 0
"""Operations a batch may hold (HCPCS_BATCH_MAX); 0: batches are refused."""


class Batches:
    def __init__(self, app: ASGIApp, *, path: str, max_operations: int = BATCH_MAX) -> None:
        self.app = app
        self.path = path
        self.max_operations = max(0, max_operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != self.path
            or scope["method"] != "POST"
            or "application/json" not in Headers(scope=scope).get("content-type", "").lower()
        ):
            await self.app(scope, receive, send)
            return
        messages = await read_messages(receive)
        operations = _operations(b"".join(message.get("body", b"") for message in messages))
        if operations is None:  # not a batch: the app answers it (or rejects it) itself

            async def replay() -> Message:
                return messages.pop(0) if messages else await receive()

            await self.app(scope, replay, send)
            return
        refusal = self._refusal(len(operations))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        answers = [await self._answer(scope, operation) for operation in operations]
        await Response(
            b"[" + b",".join(answers) + b"]", media_type="application/json", status_code=200
        )(scope, receive, send)

    def _refusal(self, count: int) -> Response | None:
        if self.max_operations == 0:
            return error_response(
                400,
                "Batches are not accepted here: send one operation per request.",
                ErrorCode.BATCH_NOT_ALLOWED,
            )
        if count == 0:
            return error_response(400, "The batch holds no operation.", ErrorCode.BAD_REQUEST)
        if count > self.max_operations:
            return error_response(
                400,
                f"The batch holds {count:,} operations; at most {self.max_operations:,} are"
                " allowed.",
                ErrorCode.BATCH_TOO_LARGE,
            )
        return None

    async def _answer(self, scope: Scope, operation: object) -> bytes:
        """The app's answer to OPERATION sent as a request of its own (a JSON object)."""
        if not isinstance(operation, dict):
            return error_body(
                "Each operation of a batch must be a JSON object.", ErrorCode.BAD_REQUEST
            )
        body = json.dumps(operation).encode()
        # No If-None-Match (a 304 has no answer to put in the array), no streaming answer.
        headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in {b"content-length", b"if-none-match", b"accept"}
        ]
        headers += [(b"content-length", str(len(body)).encode()), (b"accept", b"application/json")]
        request: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0
        content_type = b""
        chunks: list[bytes] = []

        async def receive() -> Message:
            return request.pop(0) if request else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app({**scope, "headers": headers}, receive, send)
        answer = b"".join(chunks)
        if content_type.startswith(b"application/json"):
            return answer
        # Strawberry refuses a malformed request with a 400 in plain text.
        message = answer.decode("utf-8", "replace") or f"HTTP {status}"
        return error_body(message, code_for(status))


def _operations(body: bytes) -> list[object] | None:
    """The operations of a batch; None when the body is not a JSON array."""
    if not body.lstrip().startswith(b"["):
        return None
    try:
        found = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return found if isinstance(found, list) else None
