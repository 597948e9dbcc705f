"""A long list of ids as one query parameter: `field__in=any_of(ids)`.

`field IN (%s, %s, …)` with the 1,000 ids of a core-system batch costs the web process more
than the query itself: Django prepares each value, and psycopg's client-side binding splits and
quotes the statement around 1,000 placeholders, at every query (about half the CPU of the
batch's `deadlines.recompute`, bench/README.md). On PostgreSQL the ids travel as one array
(`IN (SELECT unnest(%s::bigint[]))`, planned as the same semi-join on the index); other
databases get the plain list.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def any_of(values: Iterable, *, sql_type: str = "bigint"):
    """The right-hand side of an `__in` lookup over `values` (ids by default, or `text`)."""
    values = list(values)
    if connection.vendor != "postgresql":
        return values
    return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (values,))  # noqa: S611 - type is ours
