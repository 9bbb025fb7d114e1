"""Sign-in, sign-out, the role start page and the analyst's aggregate overview."""

from django.contrib.auth import views as auth_views
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from jobbtorg.plans.selectors import plan_deadline_share
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral

from .constants import Role
from .decorators import role_required
from .models import Unit

# Counts under this are shown as "<5" so that nobody can be singled out in the aggregates.
SUPPRESS_BELOW = 5

START_PAGES = {
    Role.CASEWORKER: "plans:inbox",
    Role.JOB_COACH: "plans:worklist",
    Role.CAREER_COUNSELLOR: "plans:worklist",
    Role.MATCHER: "plans:worklist",
    Role.UNIT_HEAD: "plans:worklist",
    Role.ANALYST: "accounts:overview",
    Role.ADMINISTRATOR: "admin:index",
}


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    next_page = "accounts:home"
    extra_context = {"title": _("Log in")}


class LogoutView(auth_views.LogoutView):
    next_page = "accounts:login"


def home(request):
    """Each role lands on its own start page; anonymous visitors on the login page."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.role in START_PAGES:
        return redirect(START_PAGES[user.role])
    if user.role == Role.PROVIDER_STAFF:
        return redirect("attendance:provider_home")
    if user.role == Role.PARTICIPANT:
        return redirect("portal:home")
    return render(request, "accounts/no_role.html")


def suppressed(count: int) -> str:
    return "<5" if count < SUPPRESS_BELOW else str(count)


@role_required(Role.ANALYST)
def overview(request):
    """Referrals per unit and status, and the share of plans approved in time — aggregates only."""
    units = Unit.objects.all()
    if request.user.municipality_id:
        units = units.filter(municipality_id=request.user.municipality_id)
    units = list(units)
    counts = {
        (row["unit_id"], row["status"]): row["n"]
        for row in Referral.objects.filter(unit__in=units).values("unit_id", "status").annotate(n=Count("pk"))
    }
    statuses = list(ReferralStatus)
    rows = []
    for unit in units:
        deadline = plan_deadline_share(referrals=Referral.objects.filter(unit=unit))
        enough = deadline["total"] >= SUPPRESS_BELOW
        rows.append(
            {
                "unit": unit,
                "counts": [suppressed(counts.get((unit.pk, status.value), 0)) for status in statuses],
                "deadline_total": suppressed(deadline["total"]),
                "deadline_share": deadline["share"] if enough else None,
            }
        )
    return render(
        request,
        "accounts/overview.html",
        {"statuses": statuses, "rows": rows, "suppress_below": SUPPRESS_BELOW},
    )
