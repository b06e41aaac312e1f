from django.core.cache import cache
from django.core.management import call_command
from django.db import connection


def test_migrate_creates_the_shared_cache_table(transactional_db):
    """The cache is a database table every app server shares; `migrate` makes it."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE dvo_cache")
    assert "dvo_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    cache.set("probe", "shared", 30)
    assert cache.get("probe") == "shared"
