from django.urls import path

from . import views

app_name = "attendance"
urlpatterns = [
    path("anordnare/", views.provider_home, name="provider_home"),
    path("ej-rapporterat/", views.unreported, name="unreported"),
    path("insats/<int:offering_pk>/vecka/", views.week, name="week"),
    path(
        "insats/<int:offering_pk>/deltagande/<uuid:booking_pk>/handelse/",
        views.event_record,
        name="event_record",
    ),
    path("ladda-upp/", views.upload, name="upload"),
    path("ladda-upp/mall.csv", views.upload_template, name="upload_template"),
    path("notiser/", views.notices, name="notices"),
    path("notiser/<uuid:pk>/kvittera/", views.notice_acknowledge, name="notice_acknowledge"),
    path("moten/", views.appointments, name="appointments"),
    path("moten/ny/<uuid:referral_pk>/", views.appointment_new, name="appointment_new"),
    path("moten/<uuid:pk>/utfall/", views.appointment_outcome, name="appointment_outcome"),
    path("moten/<uuid:pk>/tolk/", views.appointment_interpreter, name="appointment_interpreter"),
]
