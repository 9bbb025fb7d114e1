"""The participant view, mounted at /mina-sidor/."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan, name="plan"),
    path("plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("samtycke/", views.consent, name="consent"),
    path("val/<uuid:pk>/", views.choose_provider, name="choose"),
    path("meddelanden/", views.conversation, name="messages"),
    path("franvaro/", views.absence, name="absence"),
    path("sprak/", views.language, name="language"),
]
