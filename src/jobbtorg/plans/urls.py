from django.urls import path

from .forms import ACTIVITY, OTHER_PLAN
from .views import mapping_views, plan_views, worklist_views

app_name = "plans"
urlpatterns = [
    path("arbetslista/", worklist_views.worklist, name="worklist"),
    path("inkorg/", worklist_views.inbox, name="inbox"),
    path("<uuid:referral_pk>/kartlaggning/", mapping_views.mapping, name="mapping"),
    path(
        "<uuid:referral_pk>/kartlaggning/forhandsvisning/",
        mapping_views.mapping_preview,
        name="mapping_preview",
    ),
    path("<uuid:referral_pk>/handlingsplan/", plan_views.plan, name="plan"),
    path("<uuid:referral_pk>/handlingsplan/foresla/", plan_views.plan_propose, name="plan_propose"),
    path("<uuid:referral_pk>/handlingsplan/beslut/", plan_views.plan_decide, name="plan_decide"),
    path("<uuid:referral_pk>/handlingsplan/version/<int:number>/", plan_views.plan_version, name="version"),
    path("<uuid:referral_pk>/handlingsplan/utskrift/", plan_views.plan_print, name="plan_print"),
    path("<uuid:referral_pk>/handlingsplan/pdf/", plan_views.plan_pdf_download, name="plan_pdf"),
    path(
        "<uuid:referral_pk>/handlingsplan/ny-aktivitet/",
        plan_views.new_row,
        {"kind": ACTIVITY},
        name="activity_row",
    ),
    path(
        "<uuid:referral_pk>/handlingsplan/ny-annan-plan/",
        plan_views.new_row,
        {"kind": OTHER_PLAN},
        name="other_plan_row",
    ),
    path(
        "<uuid:referral_pk>/handlingsplan/veckobelastning/",
        plan_views.plan_week_load_preview,
        name="week_load",
    ),
]
