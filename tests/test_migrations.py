"""The PostgreSQL access paths that live outside Django's model state (dossiers and messaging
0002, created CONCURRENTLY outside a transaction) are all there after `migrate`."""

from importlib import import_module

import pytest
from django.db import connection


@pytest.mark.django_db
def test_every_postgresql_index_of_the_migrations_exists():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL-only indexes")
    dossiers = import_module("connect.dossiers.migrations.0002_postgresql_indexes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        present = {name for (name,) in cursor.fetchall()}
    to_handle = import_module("connect.dossiers.migrations.0004_postgresql_to_handle_indexes")
    expected = set(dossiers._indexes()) | set(to_handle._indexes()) | {"thread_inbox_due"}
    assert expected - present == set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'dossier_garage_list'")
        (definition,) = cursor.fetchone()
    assert "NULLS LAST" in definition  # the list's exact order, not Django's declaration
