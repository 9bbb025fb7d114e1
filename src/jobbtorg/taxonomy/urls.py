from django.urls import path

from . import views

app_name = "taxonomy"

urlpatterns = [
    path("yrken/", views.occupation_options, name="occupation_options"),
    path("kompetenser/", views.skill_options, name="skill_options"),
]
