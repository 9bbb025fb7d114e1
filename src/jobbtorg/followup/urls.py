from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("forsorjningsstod/", views.assistance_upload, name="assistance"),
    path("remiss/<uuid:referral_id>/avslut/", views.exit_page, name="exit"),
]
