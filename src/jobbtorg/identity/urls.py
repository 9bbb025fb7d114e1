from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("logga-in/e-legitimation/", views.eid_start, name="eid_start"),
    path("logga-in/e-legitimation/klar/", views.eid_callback, name="eid_callback"),
    path("logga-in/kommunkonto/", views.staff_start, name="staff_start"),
    path("logga-in/kommunkonto/klar/", views.staff_callback, name="staff_callback"),
    path("session/forlang/", views.keepalive, name="keepalive"),
]
