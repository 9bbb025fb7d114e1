from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("berakna/", views.run_month, name="run"),
    path("korning/<int:run_id>/godkann/", views.approve, name="approve"),
    path("anordnare/<int:provider_id>/", views.provider_month, name="provider"),
    path("anordnare/<int:provider_id>/csv/", views.provider_month_csv, name="provider_csv"),
    path("anordnare/<int:provider_id>/pdf/", views.provider_month_pdf, name="provider_pdf"),
    path("anordnare/<int:provider_id>/pdf/bakgrund/", views.provider_month_pdf_job, name="provider_pdf_job"),
    path("rad/<int:line_id>/bestrid/", views.dispute, name="dispute"),
    path("tvister/", views.disputes, name="disputes"),
    path("tvister/<int:dispute_id>/svar/", views.dispute_answer, name="dispute_answer"),
    path("kontroll/", views.creaming_check, name="creaming"),
    path("kontroll/granska/", views.creaming_reviews_open, name="creaming_open"),
    path("granskningar/", views.creaming_reviews, name="reviews"),
    path("granskningar/<int:review_id>/", views.creaming_review, name="review"),
]
