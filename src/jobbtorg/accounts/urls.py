from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.admin_start, name="start"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("tvastegsverifiering/", views.otp_verify, name="otp_verify"),
    path("tvastegsverifiering/aktivera/", views.otp_setup, name="otp_setup"),
]
