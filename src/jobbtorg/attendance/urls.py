from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("notiser/", views.notices, name="notices"),
    path("notiser/<uuid:pk>/kvittera/", views.notice_acknowledge, name="notice_acknowledge"),
]
