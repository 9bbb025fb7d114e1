from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("oversikt/", views.overview, name="overview"),
    path("export/<slug:name>.<str:fmt>", views.export, name="export"),
    path("uppdrag/nytt/", views.assignment_create, name="assignment_create"),
    path("uppdrag/<int:pk>/", views.assignment_detail, name="assignment"),
    path("uppdrag/<int:pk>/andra/", views.assignment_edit, name="assignment_edit"),
    path("forskning/", views.research_extract, name="research"),
    path("kolada/", views.kolada_compare, name="kolada"),
    path("kolada/enkat.<str:fmt>", views.kolada_survey, name="kolada_survey"),
]
