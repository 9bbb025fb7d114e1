"""Customer choice (kundval) pages for the Jobbtorg staff; mounted in the "providers" namespace."""

from django.urls import path

from . import views_choice

urlpatterns = [
    path("kundval/remiss/<uuid:referral_pk>/starta/", views_choice.choice_start, name="choice_start"),
    path("kundval/remiss/<uuid:referral_pk>/anordnare/", views_choice.assignments, name="assignments"),
    path("kundval/<uuid:pk>/", views_choice.choice, name="choice"),
]
