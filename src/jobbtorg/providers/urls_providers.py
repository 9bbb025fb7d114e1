"""The provider register and authorisation (namespace "providers", included by providers/urls.py)."""

from django.urls import path

from . import views_register as views

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("ny/", views.provider_new, name="new"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("ansok/", views.apply, name="apply"),
    path("ansokningar/", views.applications, name="applications"),
    path("ansokningar/<int:pk>/", views.application_decide, name="application_decide"),
    path("auktorisation/<int:pk>/stang-av/", views.authorisation_suspend, name="authorisation_suspend"),
    path("auktorisation/<int:pk>/ateruppta/", views.authorisation_reinstate, name="authorisation_reinstate"),
    path("auktorisation/<int:pk>/aterkalla/", views.authorisation_revoke, name="authorisation_revoke"),
]
