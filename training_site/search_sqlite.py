"""Wagtail's SQLite (FTS5) search backend, mended; chosen by search_backend on SQLite.

- A search limited to some fields, as every admin listing with `search_fields` is, named
  those fields as FTS columns, but the index has only the columns title, body and
  autocomplete ("no such column: name", django-modelsearch issue 47). The fields now map
  to the columns they are indexed in.
- A query's words go between double quotes unescaped, so a `"` in the query ended the
  string early ("unterminated string"). They are doubled, FTS5's escape.
"""

from modelsearch.backends.database.sqlite import sqlite

from .search_backend import CleanQueriesMixin, query_map


def fts5_escape(text: str) -> str:
    """`text` ready to go inside an FTS5 double-quoted string."""
    return text.replace('"', '""')


class FTS5QueryMixin:
    def __init__(self, queryset, query, **kwargs):
        super().__init__(queryset, query_map(query, fts5_escape), **kwargs)

    def fts_columns(self) -> list[str] | None:
        raise NotImplementedError

    def search(self, config, start, stop, score_field=None):
        # self.fields holds the model's field names, which check() validated; the FTS match
        # must name the columns they are indexed in instead.
        fields, self.fields = self.fields, self.fts_columns()
        try:
            return super().search(config, start, stop, score_field=score_field)
        finally:
            self.fields = fields


class SQLiteSearchQueryCompiler(FTS5QueryMixin, sqlite.SQLiteSearchQueryCompiler):
    def fts_columns(self) -> list[str] | None:
        # A SearchField named "title" is indexed in the title column, every other in body.
        if not self.fields:
            return None
        return sorted({"title" if name == "title" else "body" for name in self.fields})


class SQLiteAutocompleteQueryCompiler(FTS5QueryMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    def fts_columns(self) -> list[str] | None:
        return ["autocomplete"] if self.fields else None


class SQLiteSearchBackend(CleanQueriesMixin, sqlite.SQLiteSearchBackend):
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
