"""Wagtail's database search backend, made to answer any query string without an error.

Configured as WAGTAILSEARCH_BACKENDS' default. It picks the backend Wagtail would for the
database in use, and mends the faults that turned searches into 500s:

- Control characters, NUL above all, end an FTS5 string and PostgreSQL refuses them in any
  text. They are dropped from every query here: nobody searches for them.
- A query without a letter or a digit ("-") failed on PostgreSQL with fields; it finds
  nothing now, as no index could match it.
- SQLite's FTS5 backend failed on field-limited searches and on quotes: see search_sqlite.
"""

import copy
import unicodedata
from collections.abc import Callable

from django.utils.module_loading import import_string
from modelsearch.backends import database
from modelsearch.backends.database.fallback import DatabaseSearchBackend as FallbackBackend
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend as PostgresBackend
from modelsearch.query import MATCH_NONE, And, Boost, Fuzzy, Not, Or, Phrase, PlainText


def text_clean(text: str) -> str:
    """`text` without control characters, its words separated by single spaces."""
    return " ".join(
        "".join(" " if unicodedata.category(char) == "Cc" else char for char in text).split()
    )


def query_map(query, change: Callable[[str], str]):
    """`query` (a string or a search query object) with `change` applied to each of its texts."""
    if isinstance(query, str):
        return change(query)
    mapped = copy.copy(query)
    if isinstance(query, (PlainText, Phrase, Fuzzy)):
        mapped.query_string = change(query.query_string)
    elif isinstance(query, (And, Or)):
        mapped.subqueries = [query_map(subquery, change) for subquery in query.subqueries]
    elif isinstance(query, (Not, Boost)):
        mapped.subquery = query_map(query.subquery, change)
    return mapped


class CleanQueriesMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if isinstance(query, str) and query:
            query = text_clean(query)
            if not any(char.isalnum() for char in query):
                # Results that match nothing, which listings can still page through.
                query = MATCH_NONE
        else:
            query = query_map(query, text_clean)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


class PostgresSearchBackend(CleanQueriesMixin, PostgresBackend):
    pass


class FallbackSearchBackend(CleanQueriesMixin, FallbackBackend):
    pass


# Dotted paths: the SQLite backend's module can only be imported when SQLite is in use.
MENDED = {
    "modelsearch.backends.database.sqlite.sqlite.SQLiteSearchBackend": (
        "training_site.search_sqlite.SQLiteSearchBackend"
    ),
    "modelsearch.backends.database.postgres.postgres.PostgresSearchBackend": (
        "training_site.search_backend.PostgresSearchBackend"
    ),
    "modelsearch.backends.database.fallback.DatabaseSearchBackend": (
        "training_site.search_backend.FallbackSearchBackend"
    ),
}


# The name Wagtail looks for in a backend module.
def SearchBackend(params):
    """The backend Wagtail's database backend would choose for this database, mended."""
    chosen = type(database.SearchBackend(params))
    return import_string(MENDED[f"{chosen.__module__}.{chosen.__qualname__}"])(params)
