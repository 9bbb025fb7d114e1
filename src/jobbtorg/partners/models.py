"""Partner organisations and their part in a person's case (ADR 19): the organisation (Arbetsförmedlingen,
Försäkringskassan, adult education, health care, a samordningsförbund) with its staff (`accounts.User` with
the partner role), four-party meetings with it, and referrals (requests) to it.

What partner staff see is decided in the `visible_to` querysets: the person only while the consent for the
organisation's kind is in force, and of the case only the shared plan, the meetings and requests of their own
organisation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import CONSENT_SCOPE, MeetingKind, MeetingStatus, PartnerKind, RequestKind, RequestStatus
from .querysets import PartnerMeetingQuerySet, PartnerOrganisationQuerySet, PartnerRequestQuerySet


class PartnerOrganisation(models.Model):
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="partners",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("E.g. a function mailbox.")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["kind", "name"]
        permissions = [
            (
                "view_shared_plan",
                _("Can see the shared plan of the people who consented to sharing with the partner"),
            ),
            ("answer_request", _("Can accept, answer or decline a request to the partner")),
            ("confirm_plan_link", _("Can confirm a link of the action plan to the partner's plan")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="partner_organisation_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def consent_scope(self) -> str:
        """The consent scope the organisation's access rests on (participants.ConsentScope)."""
        return CONSENT_SCOPE[self.kind]


class PartnerMeeting(models.Model):
    """A four-party meeting (participant, coach, caseworker, partner), e.g. Försäkringskassan's
    överlämningsmöte: booked by the coach, the invitation seen by the partner's staff, the outcome and the
    follow-up actions recorded after it (the actions land in the action plan as activities)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="partner_meetings"
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="partner_meetings"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("partner")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.HANDOVER
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=2000, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caseworker"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.INVITED
    )
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = PartnerMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("four-party meeting")
        verbose_name_plural = _("four-party meetings")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="partner_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"])]


class PartnerRequest(models.Model):
    """A referral to a partner (e.g. a request for a rehabilitation assessment to Försäkringskassan, an SFI
    test booking to adult education): sent by the coach, accepted, answered or declined by the partner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="partner_requests"
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="partner_requests"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="requests", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RequestKind.choices)
    question = models.TextField(_("request"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SENT
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = PartnerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to a partner")
        verbose_name_plural = _("requests to partners")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["organisation", "status"])]
