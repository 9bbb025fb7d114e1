"""Send-back pages (återremittering): send an accepted referral back (Jobbtorg staff), the list and page of
send-backs, the caseworker's answer (agree or dispute) and the unit heads' decision. POST only for writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.audit.services import read_record, read_records
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import form_action, rule_required

from . import perms, services
from .constants import SendBackStatus
from .forms import SendBackAnswerForm, SendBackDecideForm, SendBackForm
from .models import SendBack
from .views import _detail, _visible_referral
from .workflow import can_send_back_transition


@require_POST
@rule_required(perms.can_answer_referrals)
def send_back(request, pk):
    """Jobbtorg staff send an accepted referral back to the district."""
    referral = _visible_referral(request, pk)
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            created = services.referral_send_back(
                referral=referral,
                by=request.user,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
                version=form.cleaned_data["version"],
            )
        except ConflictError as error:
            messages.error(request, error.message)
            return redirect("referrals:detail", pk=referral.pk)
        except ValidationError as error:
            if not (hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields)):
                messages.error(request, " ".join(error.messages))
                return redirect("referrals:detail", pk=referral.pk)
            add_service_errors(form, error)
            referral.refresh_from_db()
        else:
            messages.success(request, _("The referral was sent back. The caseworker answers it."))
            return redirect("referrals:send_back_detail", pk=created.pk)
    return _detail(request, referral, send_back_form=form)


def _visible_send_backs(request):
    return SendBack.objects.visible_to(request.user).select_related(
        "referral__participant", "referral__district", "referral__unit", "sent_by"
    )


@rule_required(perms.can_view_send_backs)
def send_back_list(request):
    send_backs = list(_visible_send_backs(request)[:200])
    read_records(
        user=request.user, participants=[s.referral.participant for s in send_backs], view="send_back_list"
    )
    return render(request, "referrals/send_back_list.html", {"send_backs": send_backs})


def _send_back_page(request, item: SendBack, **forms):
    user = request.user
    read_record(user=user, participant=item.referral.participant, view="send_back_detail")
    version = {"version": item.lock_version}
    context = {
        "item": item,
        "referral": item.referral,
        "events": item.events.select_related("by"),
        "can_open_referral": perms.can_view_referrals(user),
        "can_answer": perms.can_answer_send_back(user, item)
        and can_send_back_transition(item.status, SendBackStatus.AGREED),
        "can_decide": perms.can_decide_send_back(user, item)
        and can_send_back_transition(item.status, SendBackStatus.UPHELD),
        "answer_form": forms.get("answer_form") or SendBackAnswerForm(initial=version),
        "decide_form": forms.get("decide_form") or SendBackDecideForm(initial=version),
    }
    return render(request, "referrals/send_back_detail.html", context)


@rule_required(perms.can_view_send_backs)
def send_back_detail(request, pk):
    return _send_back_page(request, get_object_or_404(_visible_send_backs(request), pk=pk))


def _step(request, pk, *, form_class, form_name: str, action, success: str):
    item = get_object_or_404(_visible_send_backs(request), pk=pk)
    return form_action(
        request,
        form_class(request.POST),
        item=item,
        action=action,
        success=success,
        done=reverse("referrals:send_back_detail", args=[item.pk]),
        page=lambda form: _send_back_page(request, item, **{form_name: form}),
    )


def _answer(item, data, user):
    if data["answer"] == "agree":
        return services.send_back_agree(
            send_back=item, by=user, comment=data["comment"], version=data["version"]
        )
    return services.send_back_dispute(
        send_back=item, by=user, comment=data["comment"], version=data["version"]
    )


@require_POST
@rule_required(perms.can_view_send_backs)
def send_back_answer(request, pk):
    return _step(
        request,
        pk,
        form_class=SendBackAnswerForm,
        form_name="answer_form",
        action=lambda item, data: _answer(item, data, request.user),
        success=_("Your answer was recorded."),
    )


@require_POST
@rule_required(perms.can_view_send_backs)
def send_back_decide(request, pk):
    return _step(
        request,
        pk,
        form_class=SendBackDecideForm,
        form_name="decide_form",
        action=lambda item, data: services.send_back_decide(
            send_back=item,
            by=request.user,
            uphold=data["decision"] == "uphold",
            comment=data["comment"],
            version=data["version"],
        ),
        success=_("The decision was recorded."),
    )
