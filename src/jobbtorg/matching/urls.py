from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("arbetsgivare/", views.employer_list, name="employers"),
    path("arbetsgivare/ny/", views.employer_edit, name="employer_new"),
    path("arbetsgivare/<uuid:pk>/", views.employer_detail, name="employer"),
    path("arbetsgivare/<uuid:pk>/andra/", views.employer_edit, name="employer_edit"),
    path("platser/", views.vacancy_list, name="vacancies"),
    path("platser/ny/", views.vacancy_edit, name="vacancy_new"),
    path("platser/<uuid:pk>/", views.vacancy_detail, name="vacancy"),
    path("platser/<uuid:pk>/andra/", views.vacancy_edit, name="vacancy_edit"),
    path("platser/<uuid:pk>/foresla/", views.vacancy_propose, name="vacancy_propose"),
    path("person/<uuid:participant_pk>/platser/", views.person_vacancies, name="person_vacancies"),
    path("matchningar/", views.match_list, name="matches"),
    path("matchningar/<uuid:pk>/", views.match_detail, name="match"),
    path("matchningar/<uuid:pk>/svar/", views.match_answer, name="match_answer"),
    path("matchningar/<uuid:pk>/kontakt/", views.match_contacted, name="match_contacted"),
    path("matchningar/<uuid:pk>/utfall/", views.match_outcome, name="match_outcome"),
    path("matchningar/<uuid:pk>/aterta/", views.match_withdraw, name="match_withdraw"),
    path("rekryteringstraffar/", views.event_list, name="events"),
    path("rekryteringstraffar/ny/", views.event_edit, name="event_new"),
    path("rekryteringstraffar/<uuid:pk>/", views.event_detail, name="event"),
    path("rekryteringstraffar/<uuid:pk>/andra/", views.event_edit, name="event_edit"),
]
