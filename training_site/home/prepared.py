"""Queries every signed-in page runs, with their SQL built once per process.

Django builds a query's SQL afresh each time it runs: for the few queries behind every
lesson (the page, the learner's profile, the lessons they have done) that cost more than
PostgreSQL took to answer them. A PreparedQuery builds its queryset's SQL on first use,
with a marker value standing in for each parameter, and then only puts the real values
in the markers' places. Rows are read as the queryset would read them: model instances
through the model's own `raw()` (fields converted alike), or plain values. Any queryset
works whose parameters each appear once in its SQL; the build refuses one that does not.
tests/home/test_prepared.py holds each query here to its queryset's answers.
"""

import inspect
from collections.abc import Callable
from functools import cached_property

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet

# No id is negative: a parameter with one of these values is a marker's place.
FIRST_MARKER = -7_031_542


class PreparedQuery:
    """`build(**parameters)` returns the queryset; its parameters are filled in by name."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build

    @cached_property
    def prepared(self) -> tuple[QuerySet, str, tuple, dict[str, int]]:
        names = list(inspect.signature(self.build).parameters)
        markers = {name: FIRST_MARKER - index for index, name in enumerate(names)}
        queryset = self.build(**markers)
        sql, params = queryset.query.sql_with_params()
        places = {}
        for name, marker in markers.items():
            if params.count(marker) != 1:
                raise ImproperlyConfigured(f"Cannot tell where {name!r} goes in {sql!r}.")
            places[name] = params.index(marker)
        return queryset, sql, tuple(params), places

    def params(self, values: dict) -> list:
        _, _, params, places = self.prepared
        filled = list(params)
        for name, value in values.items():
            filled[places[name]] = value
        return filled

    def first(self, **values):
        """The first model instance the queryset gives, or None."""
        queryset, sql, _, _ = self.prepared
        return next(iter(queryset.model.objects.raw(sql, self.params(values))), None)

    def rows(self, **values) -> list[tuple]:
        """The rows of a `values_list()` queryset, as tuples of what the database gives
        (no field's conversion: for ids and counts)."""
        _, sql, _, _ = self.prepared
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params(values))
            return cursor.fetchall()
