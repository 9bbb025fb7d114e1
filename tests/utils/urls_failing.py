"""The product's URLs plus two views that fail, for the error-page tests."""

from django.urls import path

from jobbtorg.urls import handler400, handler403, handler404, handler500  # noqa: F401
from jobbtorg.urls import urlpatterns as product_urls


def boom(request):
    raise RuntimeError("boom in a view")


urlpatterns = [path("trasig/", boom), path("api/trasig/", boom), *product_urls]
