"""Reading a request's body ahead of the app, to look at it and then replay it."""

from __future__ import annotations

from starlette.types import Message, Receive


async def read_messages(receive: Receive) -> list[Message]:
    """The messages of a request's body, kept to be replayed to the app."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return messages
