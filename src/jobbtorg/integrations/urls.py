from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("sms/leverans/<str:secret>/", views.sms_delivery, name="sms_delivery"),
]
