from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("person/<uuid:participant_pk>/", views.person_documents, name="person"),
    path("<uuid:pk>/hamta/", views.document_download, name="download"),
    path("<uuid:pk>/dela/", views.document_share, name="share"),
]
