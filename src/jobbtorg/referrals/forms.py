from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.accounts.models import District, Unit
from jobbtorg.accounts.selectors import unit_coaches
from jobbtorg.participants.constants import TargetGroup, WorkCapacity
from jobbtorg.participants.forms import PersonalNumberField

from .constants import (
    CLOSE_REASONS_BY_HAND,
    INTAKE_SOURCES,
    AssistanceStatus,
    ReferralSource,
    ReferralStatus,
    SendBackReason,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonFieldsForm(forms.Form):
    """The person's identity and contact details, shared by the caseworker's referral and the unit's
    intake."""

    personal_number = PersonalNumberField()
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=300,
        required=False,
        help_text=_("Separate with commas, e.g. Arabic, Somali."),
    )
    protected_identity = forms.BooleanField(
        label=_("Protected identity"),
        required=False,
        help_text=_("Address and contact details will be shown only to caseworkers."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_capacity = forms.TypedChoiceField(
        label=_("Work capacity"),
        choices=[("", _("Not known")), *WorkCapacity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    PERSON_FIELDS = (
        "personal_number",
        "first_name",
        "last_name",
        "email",
        "phone",
        "address",
        "postal_code",
        "city",
        "languages",
        "protected_identity",
        "target_groups",
        "work_capacity",
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def clean_languages(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]

    def person_kwargs(self, data: dict) -> dict:
        """Empty person details are left out, so registering a known person again never wipes what is
        already recorded (and protection is only ever added here)."""
        for name in ("languages", "target_groups"):
            if not data[name]:
                data.pop(name)
        if not data["protected_identity"]:
            data.pop("protected_identity")
        return data


class ReferralCreateForm(PersonFieldsForm):
    # The referral
    target_group = forms.ChoiceField(label=_("Main target group"), choices=[("", "–"), *TargetGroup.choices])
    reason = forms.CharField(label=_("Reason for referral"), widget=forms.Textarea, max_length=5000)
    assistance_status = forms.ChoiceField(
        label=_("Assistance status"), choices=[("", "–"), *AssistanceStatus.choices]
    )
    notes = forms.CharField(
        label=_("Other information"), widget=forms.Textarea, required=False, max_length=5000
    )
    source = forms.ChoiceField(
        label=_("Referral initiated by"),
        choices=ReferralSource.choices,
        initial=ReferralSource.SOCIAL_SERVICES,
        required=False,
        help_text=_(
            "Social services, unless Arbetsförmedlingen, Försäkringskassan or the person asked for it."
        ),
    )
    chosen_unit = forms.ModelChoiceField(
        label=_("The person chose another unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No – the district's unit"),
    )
    consent_given = forms.BooleanField(
        label=_("Consent to share information between the district and the Jobbtorg is given"), required=False
    )
    consent_date = forms.DateField(
        label=_("Date of consent"), required=False, widget=DATE, help_text=_("Leave empty for today.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        district = user.district
        self.fields["chosen_unit"].queryset = Unit.objects.filter(municipality_id=district.municipality_id)
        self.fields["chosen_unit"].empty_label = _("No – the district's unit (%(unit)s)") % {
            "unit": district.unit
        }

    FIELDSETS = (
        (_("The person"), PersonFieldsForm.PERSON_FIELDS),
        (
            _("The referral"),
            ("target_group", "reason", "assistance_status", "notes", "source", "chosen_unit"),
        ),
        (_("Consent"), ("consent_given", "consent_date")),
    )

    def clean_consent_date(self):
        day = self.cleaned_data["consent_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def service_kwargs(self) -> dict:
        """The keyword arguments of `referral_create` (`person_kwargs`: empty person details left out)."""
        data = dict(self.cleaned_data)
        data["source"] = data.get("source") or ReferralSource.SOCIAL_SERVICES
        return self.person_kwargs(data)


class IntakeForm(PersonFieldsForm):
    """Intake at the Jobbtorg unit (inskrivning, ADR 0020): a person who comes another way than through
    social services. The service (`referral_intake`) checks the rules; this form checks types and presence."""

    district = forms.ModelChoiceField(
        label=_("District where the person lives"),
        queryset=District.objects.none(),
        help_text=_("Used only if the person is not registered yet."),
    )
    source = forms.ChoiceField(label=_("Sent by"), choices=[("", "–"), *INTAKE_SOURCES])
    source_other = forms.CharField(
        label=_("Which actor"),
        max_length=200,
        required=False,
        help_text=_("When another actor sent the person, e.g. Kriminalvården or the health centre."),
    )
    referral_date = forms.DateField(
        label=_("Date of intake"), required=False, widget=DATE, help_text=_("Leave empty for today.")
    )
    target_group = forms.ChoiceField(label=_("Main target group"), choices=[("", "–"), *TargetGroup.choices])
    reason = forms.CharField(label=_("Reason for intake"), widget=forms.Textarea, max_length=5000)
    assistance_status = forms.ChoiceField(
        label=_("Assistance status"), choices=AssistanceStatus.choices, initial=AssistanceStatus.NONE
    )
    notes = forms.CharField(
        label=_("Other information"), widget=forms.Textarea, required=False, max_length=5000
    )
    coach = forms.ModelChoiceField(
        label=_("Responsible coach"),
        queryset=None,
        required=False,
        empty_label=_("Me (a job coach) / decide later"),
    )
    consent_given = forms.BooleanField(
        label=_(
            "Consent to share information between the Jobbtorg and the actor who sent the person is given"
        ),
        required=False,
        help_text=_("Recorded for Arbetsförmedlingen and Försäkringskassan."),
    )
    consent_date = forms.DateField(
        label=_("Date of consent"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty for the intake date."),
    )

    FIELDSETS = (
        (_("The person"), PersonFieldsForm.PERSON_FIELDS + ("district",)),
        (
            _("The intake"),
            (
                "source",
                "source_other",
                "referral_date",
                "target_group",
                "reason",
                "assistance_status",
                "notes",
                "coach",
            ),
        ),
        (_("Consent"), ("consent_given", "consent_date")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = user.unit
        self.fields["district"].queryset = District.objects.filter(
            municipality_id=unit.municipality_id
        ).order_by("name")
        served = unit.districts.order_by("name").first()
        if served is not None:
            self.fields["district"].initial = served.pk
        self.fields["coach"].queryset = unit_coaches(unit.pk)

    def service_kwargs(self) -> dict:
        """The keyword arguments of `referral_intake` (`person_kwargs`: empty person details left out)."""
        return self.person_kwargs(dict(self.cleaned_data))


class VersionForm(forms.Form):
    """The lock version the user saw; every action posts it back (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "return")
        super().__init__(*args, **kwargs)


class CloseForm(VersionForm):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=[("", "–"), *CLOSE_REASONS_BY_HAND])
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class ResubmitForm(VersionForm):
    comment = forms.CharField(
        label=_("What was changed"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "resubmit")
        super().__init__(*args, **kwargs)


class AcceptForm(VersionForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "accept")
        super().__init__(*args, **kwargs)


class CoachChangeForm(VersionForm):
    """Name another coach of the unit as responsible (the unit head, or the coach handing over)."""

    coach = forms.ModelChoiceField(label=_("New responsible coach"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, referral, **kwargs):
        kwargs.setdefault("prefix", "coach")
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = unit_coaches(referral.unit_id).exclude(pk=referral.coach_id)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ReferralStatus.choices], required=False
    )


class SendBackForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("Reason for sending back"), choices=[("", "–"), *SendBackReason.choices]
    )
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "send_back")
        super().__init__(*args, **kwargs)


class SendBackAnswerForm(VersionForm):
    ANSWERS = [
        ("agree", _("I agree: close the referral")),
        ("dispute", _("I disagree: escalate to the unit heads")),
    ]
    answer = forms.ChoiceField(label=_("Your answer"), choices=ANSWERS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required when you disagree."),
    )


class SendBackDecideForm(VersionForm):
    DECISIONS = [
        ("uphold", _("Uphold: the referral closes")),
        ("overturn", _("Overturn: the Jobbtorg keeps the person")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
