from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("person/<uuid:participant_pk>/", views.person_journal, name="person"),
    path("person/<uuid:participant_pk>/meddelanden/", views.person_messages, name="messages"),
    path("anteckning/<uuid:pk>/signera/", views.entry_sign, name="entry_sign"),
    path("anteckning/<uuid:pk>/rattelse/", views.entry_correct, name="entry_correct"),
]
