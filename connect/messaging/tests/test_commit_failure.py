"""The database refuses a message at COMMIT (a deferred constraint, a serialization failure):
its files leave storage at once, not at the daily sweep. The send runs inside the uploads'
own atomic block, so a cleanup inside the service would run before the real commit."""

import pytest
from django.db import connection
from django.test import Client

from connect.documents.models import Document
from connect.messaging.models import Message
from connect.messaging.tests.helpers import pdf_file, post_new
from connect.testing import login_as, stored_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def commit_refused():
    """A constraint trigger checked at COMMIT that refuses every new message."""
    if connection.vendor != "postgresql":
        pytest.skip("a deferred constraint trigger needs PostgreSQL")
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = '23514'; END $$"
        )
        cursor.execute(
            f"CREATE CONSTRAINT TRIGGER test_refuse_message AFTER INSERT ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_at_commit()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER test_refuse_message ON {table}")
        cursor.execute("DROP FUNCTION test_refuse_at_commit()")


def test_a_message_refused_at_commit_leaves_no_file_in_storage(world, dossier, commit_refused):
    client = login_as(Client(raise_request_exception=False), world.repairer)
    files = [pdf_file("a.pdf"), pdf_file("b.pdf")]
    response = post_new(client, dossier, "expert", body="Bonjour", files=files, types=["devis"])
    assert response.status_code == 500  # the database's failure, not the user's input
    assert not Message.objects.exists() and not Document.objects.exists()
    assert stored_files() == []
