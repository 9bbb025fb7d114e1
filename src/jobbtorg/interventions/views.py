"""Intervention pages: the catalogue, offerings (list, detail, create, edit) and booking people from their
action plan into offerings, with the waiting list. Every write goes through interventions.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobbtorg.accounts.models import Municipality
from jobbtorg.accounts.selectors import municipality_for_writes
from jobbtorg.audit.services import read_record, read_records
from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import PlanActivity
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.listing import sorted_page
from jobbtorg.utils.views import deny_unless

from . import perms, selectors, services
from .constants import BookingStatus
from .forms import BookingForm, CancelForm, InterventionTypeForm, OfferingFilterForm, OfferingForm, RetireForm
from .models import Booking, InterventionType, Offering

# The catalogue ----------------------------------------------------------------------------------------------


@login_required
def catalogue(request):
    deny_unless(perms.can_view_catalogue(request.user))
    types = InterventionType.objects.all()
    return render(
        request,
        "interventions/catalogue.html",
        {
            "types": types,
            "can_edit": perms.can_edit_catalogue(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def type_new(request):
    deny_unless(perms.can_add_intervention_type(request.user))
    form = InterventionTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.intervention_type_create(by=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was added to the catalogue.") % {"name": created.display_name}
            )
            return redirect("interventions:catalogue")
    return render(
        request,
        "interventions/type_form.html",
        {"form": form, "intervention_type": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def type_edit(request, pk):
    deny_unless(perms.can_edit_catalogue(request.user))
    intervention_type = get_object_or_404(InterventionType, pk=pk)
    form = InterventionTypeForm(request.POST or None, instance=intervention_type)
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_type_update(
                intervention_type=intervention_type, by=request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": intervention_type.display_name})
            return redirect("interventions:catalogue")
    return render(
        request,
        "interventions/type_form.html",
        {"form": form, "intervention_type": intervention_type},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def type_active(request, pk):
    """Retire a type (active=false) or bring it back (active=true)."""
    deny_unless(perms.can_edit_catalogue(request.user))
    intervention_type = get_object_or_404(InterventionType, pk=pk)
    form = RetireForm(request.POST)
    form.is_valid()
    active = bool(form.cleaned_data.get("active"))
    services.intervention_type_set_active(intervention_type=intervention_type, active=active, by=request.user)
    if active:
        messages.success(
            request,
            _("%(name)s can be planned and offered again.") % {"name": intervention_type.display_name},
        )
    else:
        messages.success(
            request,
            _("%(name)s was retired: it can no longer be planned or offered.")
            % {"name": intervention_type.display_name},
        )
    return redirect("interventions:catalogue")


# Offerings --------------------------------------------------------------------------------------------------


def _municipality_or_403(user) -> int:
    municipality_id = municipality_for_writes(user)
    if municipality_id is None:
        raise PermissionDenied
    return municipality_id


@login_required
def offerings(request):
    deny_unless(perms.can_view_offerings(request.user))
    municipality_id = _municipality_or_403(request.user)
    visible = selectors.offerings_of(request.user)
    form = OfferingFilterForm(
        request.GET or None, municipality_id=municipality_id, languages=selectors.offering_languages(visible)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.offerings_filtered(
        visible,
        intervention_type=filters.get("intervention_type"),
        delivered_by=filters.get("delivered_by", ""),
        provider=filters.get("provider"),
        language=filters.get("language", ""),
        target_group=filters.get("target_group", ""),
        free_only=bool(filters.get("free")),
    )
    return render(
        request,
        "interventions/offerings.html",
        {
            "form": form,
            "offerings": rows,
            "can_create": perms.can_create_offerings(request.user),
        },
    )


def _visible_offering(request, pk) -> Offering:
    return get_object_or_404(selectors.offerings_of(request.user), pk=pk)


@login_required
def offering(request, pk):
    deny_unless(perms.can_view_offerings(request.user))
    item = _visible_offering(request, pk)
    people = selectors.offering_people(offering=item, user=request.user)
    if people.shown:
        read_records(user=request.user, participants=people.shown, view="offering_detail")
    target_groups = dict(OfferingForm.base_fields["target_groups"].choices)
    return render(
        request,
        "interventions/offering.html",
        {
            "offering": item,
            "people": people,
            "target_groups": [target_groups.get(code, code) for code in item.target_groups or []],
            "can_edit": perms.can_manage_offering(request.user, item),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def offering_new(request):
    deny_unless(perms.can_create_offerings(request.user))
    municipality_id = _municipality_or_403(request.user)
    form = OfferingForm(request.POST or None, user=request.user, municipality_id=municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.offering_create(
                municipality=Municipality.objects.get(pk=municipality_id),
                by=request.user,
                **form.service_kwargs(),
            )
        except PermissionDenied:
            form.add_error(None, _("You may only add offerings of your own unit or of a city unit."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offering %(name)s was added.") % {"name": created.name})
            return redirect("interventions:offering", pk=created.pk)
    return render(
        request,
        "interventions/offering_form.html",
        {"form": form, "offering": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def offering_edit(request, pk):
    item = get_object_or_404(
        Offering.objects.filter(municipality_id=municipality_for_writes(request.user)), pk=pk
    )
    deny_unless(perms.can_manage_offering(request.user, item))
    form = OfferingForm(
        request.POST or None, user=request.user, municipality_id=item.municipality_id, instance=item
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(offering=item, by=request.user, **form.service_kwargs())
        except PermissionDenied:
            form.add_error(None, _("You may only manage offerings of your own unit or of a city unit."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offering %(name)s was saved.") % {"name": item.name})
            return redirect("interventions:offering", pk=item.pk)
    return render(
        request,
        "interventions/offering_form.html",
        {"form": form, "offering": item},
        status=400 if form.errors else 200,
    )


# Booking from the action plan -------------------------------------------------------------------------------


def _referral_in_scope(user, referral_pk) -> Referral:
    """The referral if the user may see it; a 404 otherwise (never tell whether it exists)."""
    queryset = Referral.objects.visible_to(user).select_related("participant", "unit", "district", "coach")
    return get_object_or_404(queryset, pk=referral_pk)


def _plan_activities(referral):
    return PlanActivity.objects.filter(plan__referral=referral).select_related("intervention_type")


@require_http_methods(["GET", "POST"])
@login_required
def book(request, referral_pk):
    referral = _referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_book(request.user, referral))
    participant = referral.participant
    accepted = referral.status == ReferralStatus.ACCEPTED
    activities = _plan_activities(referral)
    matching, others = selectors.bookable_offerings(
        referral=referral, plan_type_ids={a.intervention_type_id for a in activities}
    )
    form = BookingForm(request.POST or None, matching=matching, others=others, activities=activities)
    status = 200
    if request.method == "POST":
        if not accepted:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_create(
                    offering=data["offering"],
                    referral=referral,
                    by=request.user,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    plan_activity=data["plan_activity"],
                    waitlist=data["waitlist"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                names = {"name": participant.full_name, "offering": booking.offering.name}
                if booking.status == BookingStatus.BOOKED:
                    messages.success(request, _("%(name)s has a place in %(offering)s.") % names)
                else:
                    messages.warning(
                        request,
                        _(
                            "%(offering)s is full. %(name)s is on the waiting list: "
                            "waiting list position %(position)s."
                        )
                        % {**names, "position": services.waitlist_position(booking)},
                    )
                return redirect("interventions:bookings", referral_pk=referral.pk)
        status = 400
    read_record(user=request.user, participant=participant, view="booking_new")
    return render(
        request,
        "interventions/book.html",
        {
            "referral": referral,
            "participant": participant,
            "form": form,
            "accepted": accepted,
            "has_offerings": bool(matching or others),
        },
        status=status,
    )


# The person's bookings are paged and sorted in the URL (utils.listing, issue 16): key → fields.
BOOKING_SORTS = {
    "offering": ("offering__name",),
    "status": ("status",),
    "start": ("start_date",),
    "requested": ("requested_at",),
}


def _render_bookings(request, referral, *, bound: dict | None = None, status: int = 200):
    listing = sorted_page(
        request, selectors.referral_bookings(referral), sorts=BOOKING_SORTS, default="-requested"
    )
    bookings = selectors.with_positions(list(listing.page.object_list))
    bookable = perms.can_book(request.user, referral)
    bound = bound or {}
    for booking in bookings:
        active = booking.status in (BookingStatus.BOOKED, BookingStatus.WAITLISTED)
        booking.cancel_form = (
            (bound.get(booking.pk) or CancelForm(booking=booking)) if active and bookable else None
        )
    read_record(user=request.user, participant=referral.participant, view="bookings")
    return render(
        request,
        "interventions/bookings.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "bookings": bookings,
            "listing": listing,
            "can_book": bookable and referral.status == ReferralStatus.ACCEPTED,
        },
        status=status,
    )


@login_required
def bookings(request, referral_pk):
    return _render_bookings(request, _referral_in_scope(request.user, referral_pk))


@require_POST
@login_required
def booking_cancel(request, pk):
    booking = get_object_or_404(
        Booking.objects.filter(referral__in=Referral.objects.visible_to(request.user)).select_related(
            "offering", "referral", "participant"
        ),
        pk=pk,
    )
    referral = _referral_in_scope(request.user, booking.referral_id)
    deny_unless(perms.can_book(request.user, referral))
    form = CancelForm(request.POST, booking=booking)
    if not form.is_valid():
        return _render_bookings(request, referral, bound={booking.pk: form}, status=400)
    try:
        promoted = services.booking_cancel(
            booking=booking, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ConflictError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            add_service_errors(form, error)
            return _render_bookings(request, referral, bound={booking.pk: form}, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        text = _("The booking in %(offering)s was cancelled.") % {"offering": booking.offering.name}
        if promoted is not None:
            if Participant.objects.visible_to(request.user).filter(pk=promoted.participant_id).exists():
                text += " " + _("The place went to the next person on the waiting list: %(name)s.") % {
                    "name": promoted.participant.full_name
                }
            else:
                text += " " + _("The place went to the next person on the waiting list.")
        messages.success(request, text)
    return redirect("interventions:bookings", referral_pk=referral.pk)
