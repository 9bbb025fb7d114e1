from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/samtycke/", views.consent, name="consent"),
    path("<uuid:pk>/sprak/", views.language, name="language"),
]
