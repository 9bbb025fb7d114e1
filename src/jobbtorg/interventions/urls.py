from django.urls import path

from . import views

app_name = "interventions"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("typ/ny/", views.type_new, name="type_new"),
    path("typ/<int:pk>/", views.type_edit, name="type_edit"),
    path("typ/<int:pk>/aktiv/", views.type_active, name="type_active"),
    path("utbud/", views.offerings, name="offerings"),
    path("utbud/ny/", views.offering_new, name="offering_new"),
    path("utbud/<int:pk>/", views.offering, name="offering"),
    path("utbud/<int:pk>/andra/", views.offering_edit, name="offering_edit"),
    path("boka/<uuid:referral_pk>/", views.book, name="book"),
    path("bokningar/<uuid:referral_pk>/", views.bookings, name="bookings"),
    path("bokningar/avboka/<uuid:pk>/", views.booking_cancel, name="booking_cancel"),
]
