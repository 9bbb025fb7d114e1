from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("lasningar/", views.reads, name="reads"),
    path("ovanliga/", views.unusual, name="unusual"),
]
