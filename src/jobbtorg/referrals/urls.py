from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("ny/", views.create, name="create"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/ta-emot/", views.accept, name="accept"),
    path("<uuid:pk>/returnera/", views.return_, name="return"),
    path("<uuid:pk>/avsluta/", views.close, name="close"),
    path("<uuid:pk>/skicka-igen/", views.resubmit, name="resubmit"),
]
