"""`/health/`: for load balancers, monitoring and the load test's baseline. Answers without logging in, tells
nothing about people, and checks that the database answers."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means "not healthy", never a 500 page
        connection.close()  # a connection lost since the request's health check: the retry gets a new one
        return False
    return True


@never_cache
@require_GET
def health(request):
    if not (_database_answers() or _database_answers()):
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
