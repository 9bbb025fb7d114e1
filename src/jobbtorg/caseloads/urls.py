from django.urls import path

from . import views

app_name = "caseloads"
urlpatterns = [
    path("", views.caseloads, name="caseloads"),
    path("omfordela/", views.reassign, name="reassign"),
]
