from django.urls import path

from . import views, views_send_back

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("ny/", views.create, name="create"),
    path("inskrivning/", views.intake, name="intake"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/ta-emot/", views.accept, name="accept"),
    path("<uuid:pk>/returnera/", views.return_, name="return"),
    path("<uuid:pk>/avsluta/", views.close, name="close"),
    path("<uuid:pk>/skicka-igen/", views.resubmit, name="resubmit"),
    path("<uuid:pk>/atersand/", views_send_back.send_back, name="send_back"),
    path("atersandningar/", views_send_back.send_back_list, name="send_back_list"),
    path("atersandningar/<int:pk>/", views_send_back.send_back_detail, name="send_back_detail"),
    path("atersandningar/<int:pk>/svara/", views_send_back.send_back_answer, name="send_back_answer"),
    path("atersandningar/<int:pk>/besluta/", views_send_back.send_back_decide, name="send_back_decide"),
    path("<uuid:pk>/ansvarig-coach/", views.coach_change, name="coach_change"),
]
