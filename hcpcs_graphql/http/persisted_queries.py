"""Automatic persisted queries (Apollo's protocol), for the HTTP cache (middleware/caching.py)."""

from __future__ import annotations

import hashlib

from cachetools import LRUCache
from starlette.responses import Response

from hcpcs_graphql.domain.error_codes import ErrorCode
from hcpcs_graphql.http.errors import refusal


def document_hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class PersistedQueries:
    """Automatic persisted queries (Apollo's protocol): a client sends the sha256 of a document
    in `extensions.persistedQuery.sha256Hash`; the server answers from the document it
    registered under that hash, or asks for the document (PersistedQueryNotFound). With an
    allow-list, only its documents are accepted, by hash or in full."""

    def __init__(self, allow_list: dict[str, str] | None, size: int = 10_000) -> None:
        self.allow_list = allow_list
        self.registered: LRUCache[str, str] = LRUCache(size)

    def resolve(self, found: dict[str, object]) -> bool | Response:
        """Put the document into FOUND when it came by hash (True); a Response refuses."""
        extensions = found.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        wanted = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        query = found.get("query")
        if not isinstance(wanted, str):
            if self.allow_list is not None and (
                not isinstance(query, str) or document_hash(query) not in self.allow_list
            ):
                return refusal(ErrorCode.NOT_ALLOWED, "Only registered documents are accepted.")
            return False
        if isinstance(query, str):
            if document_hash(query) != wanted:
                return refusal(
                    ErrorCode.HASH_MISMATCH, "The document's sha256 is not the hash given."
                )
            if self.allow_list is not None and wanted not in self.allow_list:
                return refusal(ErrorCode.NOT_ALLOWED, "Only registered documents are accepted.")
            self.registered[wanted] = query
            return False
        known = self.allow_list.get(wanted) if self.allow_list is not None else None
        known = known or self.registered.get(wanted)
        if known is None:
            return refusal(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
        found["query"] = known
        return True
