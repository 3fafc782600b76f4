"""An execution plan per document and operation: the fields graphql-core collected once, and how
to complete each plain field, kept for the next run of the same document (see build.py, cache.py
and run.py)."""
