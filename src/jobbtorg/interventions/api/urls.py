from django.urls import path

from .views import InterventionTypeListView

urlpatterns = [
    path("intervention-types/", InterventionTypeListView.as_view(), name="api-intervention-types"),
]
