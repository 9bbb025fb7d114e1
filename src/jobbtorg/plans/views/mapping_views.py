"""The mapping (kartläggning) of a referral, with a live preview of the distance tier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.audit.services import read_record
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.taxonomy.selectors import groups_by_code, skills_by_id
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless

from .. import perms
from ..assessment import assess
from ..constants import Obstacle, Tier
from ..forms import MappingForm, form_error_summary
from ..models import Mapping
from ..services import mapping_save
from .common import referral_in_scope


@require_http_methods(["GET", "POST"])
@login_required
def mapping(request, referral_pk):
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_mapping(request.user))
    current = Mapping.objects.filter(referral=referral).first()
    editable = perms.can_edit_mapping(request.user, referral) and referral.status == ReferralStatus.ACCEPTED
    conflict = None
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        deny_unless(perms.can_edit_mapping(request.user, referral))
        form = MappingForm(request.POST)
        if form.is_valid():
            version = form.cleaned_data["version"]
            try:
                if current is not None and version is None:
                    # The form was opened before anyone had saved a mapping: don't overwrite theirs.
                    raise ConflictError(
                        _(
                            "Someone else saved a mapping while you were working on it. "
                            "Reload it to see their changes; nothing of yours was saved."
                        )
                    )
                mapping_save(referral=referral, by=request.user, version=version, **form.service_values())
            except ConflictError as exc:
                conflict, status = exc.message, 409
            except ValidationError as exc:
                add_service_errors(form, exc, unplaced=errors)
            else:
                messages.success(request, _("The mapping is saved."))
                return redirect("plans:mapping", referral_pk=referral.pk)
    else:
        form = MappingForm(initial=MappingForm.initial_from(current))
    read_record(user=request.user, participant=referral.participant, view="mapping")
    return render(
        request,
        "plans/mapping.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "mapping": current,
            "tier_label": Tier(current.tier).label if current and current.tier else "",
            "tier_points": sum(r.get("points", 0) for r in current.tier_reasons) if current else 0,
            "form": form,
            "editable": editable,
            "conflict": conflict,
            "summary": form_error_summary(form, errors),
            "occupation_groups": list(groups_by_code(current.wanted_occupations).values()) if current else [],
            "skill_names": [s.name for s in skills_by_id(current.skills).values()] if current else [],
            "obstacle_labels": [Obstacle(o).label for o in current.obstacles if o in Obstacle.values]
            if current
            else [],
        },
        status=status,
    )


@require_POST
@login_required
def mapping_preview(request, referral_pk):
    """The tier the posted values would give, without saving (an HTMX fragment)."""
    referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_mapping(request.user))
    form = MappingForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    tier, reasons = assess(
        education_level=data.get("education_level", ""),
        swedish_level=data.get("swedish_level", ""),
        months_without_work=data.get("months_without_work"),
        work_capacity=data.get("work_capacity"),
        obstacles=data.get("obstacles") or [],
        months_on_assistance=data.get("months_on_assistance"),
    )
    return render(
        request,
        "plans/_tier.html",
        {
            "tier": tier,
            "tier_label": Tier(tier).label,
            "reasons": [r.as_dict() for r in reasons],
            "points": sum(r.points for r in reasons),
            "preview": True,
            "incomplete": bool(form.errors),
        },
    )
