"""The shared view helpers: the service's errors on a form, the gate that asks a perms.py rule, and the
`{% can %}` template tag and the API permission class that ask the same rules."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse

from jobbtorg.utils.api import allowed_by
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required
from tests.factories import ReferralFactory, UserFactory


class _Form(forms.Form):
    reason = forms.CharField(required=False)
    offering = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({})
    form.is_valid()
    return form


def test_service_errors_go_on_the_fields_they_name_and_the_rest_on_top():
    form = _bound()
    add_service_errors(form, ValidationError({"reason": "Give a reason.", "status": "Already closed."}))
    assert form.errors["reason"] == ["Give a reason."]
    assert form.non_field_errors() == ["Already closed."]


def test_service_errors_without_fields_go_on_top():
    form = _bound()
    add_service_errors(form, ValidationError("Not open for booking."))
    assert form.non_field_errors() == ["Not open for booking."] and "reason" not in form.errors


def test_service_errors_follow_aliases_and_can_be_listed_apart():
    form = _bound()
    unplaced: list[str] = []
    error = ValidationError({"intervention_type": "Retired.", "__all__": "Conflict.", "other": "Elsewhere."})
    add_service_errors(form, error, aliases={"intervention_type": "offering"}, unplaced=unplaced)
    assert form.errors["offering"] == ["Retired."]
    assert sorted(unplaced) == ["Conflict.", "Elsewhere."] and not form.non_field_errors()


def _view(request):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/sida/")
    request.user = user
    return request


def test_rule_required_sends_anonymous_visitors_to_the_login_page():
    response = rule_required(lambda user: True)(_view)(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/sida/"


@pytest.mark.django_db
def test_rule_required_asks_the_rule_with_the_signed_in_user():
    coach, caseworker = UserFactory(coach=True), UserFactory(caseworker=True)
    view = rule_required(lambda user: user.is_unit_staff)(_view)
    assert view(_request(coach)).content == b"ok"
    with pytest.raises(PermissionDenied):
        view(_request(caseworker))


def test_deny_unless():
    deny_unless(True)
    with pytest.raises(PermissionDenied):
        deny_unless(False)


def _render(source: str, **context) -> str:
    return Template("{% load perms %}" + source).render(Context(context)).strip()


@pytest.mark.django_db
def test_the_can_tag_asks_the_perms_function_with_the_user_and_the_object():
    referral = ReferralFactory()
    own_coach = UserFactory(coach=True, unit=referral.unit)
    other_coach = UserFactory(coach=True)
    source = '{% can "referrals.can_accept_referral" referral as may %}{% if may %}yes{% else %}no{% endif %}'
    assert _render(source, user=own_coach, referral=referral) == "yes"
    assert _render(source, user=other_coach, referral=referral) == "no"
    assert _render(source, user=AnonymousUser(), referral=referral) == "no"


@pytest.mark.parametrize(
    "name", ["referrals.no_such_rule", "nowhere.can_accept_referral", "referrals._private", "referrals"]
)
@pytest.mark.django_db
def test_the_can_tag_names_only_perms_functions(name):
    with pytest.raises(TemplateSyntaxError):
        _render(f'{{% can "{name}" as may %}}', user=UserFactory(coach=True))


@pytest.mark.django_db
def test_allowed_by_asks_the_rule_for_the_api():
    permission = allowed_by(lambda user: user.is_caseworker)()
    caseworker, coach = UserFactory(caseworker=True), UserFactory(coach=True)
    assert permission.has_permission(_request(caseworker), None) is True
    assert permission.has_permission(_request(coach), None) is False
    assert permission.has_permission(_request(AnonymousUser()), None) is False


def test_service_errors_on_row_forms():
    """A service's "activities[1].hours" goes on the second row given; an index beyond the rows, or a list
    not given, is put with the rest."""

    class Row(forms.Form):
        hours = forms.IntegerField()

    class Head(forms.Form):
        goals = forms.CharField()

    head, rows, unplaced = Head({"goals": "x"}), [Row({"hours": 1}), Row({"hours": 2})], []
    for form in (head, *rows):
        form.is_valid()
    add_service_errors(
        head,
        ValidationError(
            {
                "activities[1].hours": "Too many",
                "activities[0]": "Bad row",
                "activities[2].hours": "No such row",
                "other_plans[0]": "Not given",
                "goals": "No goal",
            }
        ),
        rows={"activities": rows},
        unplaced=unplaced,
    )
    assert rows[1].errors["hours"] == ["Too many"] and rows[0].non_field_errors() == ["Bad row"]
    assert head.errors["goals"] == ["No goal"]
    assert unplaced == ["No such row", "Not given"]
