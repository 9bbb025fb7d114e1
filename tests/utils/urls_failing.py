"""The product's URLs plus two views that fail, for the error-page tests."""

from django.urls import path

from jobbtorg.urls import handler400, handler403, handler404, handler500  # noqa: F401
from jobbtorg.urls import urlpatterns as product_urls


def boom(request):
    raise RuntimeError("boom in a view")


urlpatterns = [path("trasig/", boom), path("api/trasig/", boom), *product_urls]


def lose_connection(request):
    """Terminates its own database connection (as a failover would) on the first run, then reads."""
    from django.db import connection
    from django.http import HttpResponse

    if not getattr(request, "_retried_lost_connection", False):
        import psycopg

        s = connection.settings_dict
        pid = connection.cursor().connection.info.backend_pid
        dsn = f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname={s['NAME']}"
        with psycopg.connect(dsn, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("read")


urlpatterns.insert(0, path("tapp-anslutning/", lose_connection))
