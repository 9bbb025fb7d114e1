from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_home, name="home"),
    path("personer/<uuid:pk>/", views.partner_person, name="person"),
    path("forfragningar/<uuid:pk>/svar/", views.request_handle, name="request_handle"),
    path("planlankar/<int:pk>/bekrafta/", views.link_confirm, name="link_confirm"),
    path("arenden/<uuid:referral_pk>/", views.case, name="case"),
    path("arenden/<uuid:referral_pk>/mote/", views.meeting_new, name="meeting_new"),
    path("arenden/<uuid:referral_pk>/forfragan/", views.request_new, name="request_new"),
    path("moten/<uuid:pk>/utfall/", views.meeting_outcome, name="meeting_outcome"),
]
