"""A referral (remiss) from a district caseworker to a Jobbtorg unit — or an intake (inskrivning) the unit
registers itself for a person who comes from Arbetsförmedlingen, Försäkringskassan, on their own or from
another actor (no caseworker; ADR 0020) — its status history, its responsible coach (with history) and the
coaches' substitutes while they are away."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.participants.constants import TargetGroup

from .constants import (
    OPEN_SEND_BACK_STATUSES,
    OPEN_STATUSES,
    AssistanceStatus,
    CloseReason,
    CoachChangeKind,
    ReferralSource,
    ReferralStatus,
    SendBackReason,
    SendBackStatus,
)
from .querysets import (
    CoachChangeQuerySet,
    ReferralEventQuerySet,
    ReferralQuerySet,
    SendBackQuerySet,
    SubstitutionQuerySet,
)


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="referrals"
    )
    district = models.ForeignKey(
        "accounts.District", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("district")
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("unit")
    )
    unit_chosen_by_participant = models.BooleanField(
        _("unit chosen by the person"),
        default=False,
        help_text=_("The person chose another unit than their district's."),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        null=True,
        blank=True,
        verbose_name=_("caseworker"),
        help_text=_("The district caseworker who referred the person; empty for an intake at the unit."),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_coached",
        null=True,
        blank=True,
        verbose_name=_("responsible coach"),
        help_text=_(
            "The job coach responsible for the person: assigned at acceptance, changed with history."
        ),
    )
    source = models.CharField(
        _("referred by"),
        max_length=20,
        choices=ReferralSource.choices,
        default=ReferralSource.SOCIAL_SERVICES,
        help_text=_(
            "Who initiated the referral: social services unless the unit took the person in another way."
        ),
    )
    source_other = models.CharField(
        _("which actor"),
        max_length=200,
        blank=True,
        help_text=_("For a referral initiated by another actor: which one."),
    )
    target_group = models.CharField(_("target group"), max_length=40, choices=TargetGroup.choices)
    reason = models.TextField(_("reason for referral"))
    assistance_status = models.CharField(
        _("assistance status"), max_length=20, choices=AssistanceStatus.choices
    )
    notes = models.TextField(_("other information"), blank=True)
    referral_date = models.DateField(_("referral date"), default=timezone.localdate)
    plan_due_date = models.DateField(
        _("action plan due"), editable=False, help_text=_("The fifth working day after the referral date.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=30, choices=CloseReason.choices, blank=True
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(
        _("consent withdrawn"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The person withdrew the consent to share information between the district and the Jobbtorg: "
            "the referral's basis ended, and the Jobbtorg sees only that the case existed."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referral_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_referral_per_participant",
                violation_error_message=_("This person already has an open referral."),
            ),
            models.CheckConstraint(
                condition=models.Q(caseworker__isnull=False)
                | ~models.Q(source=ReferralSource.SOCIAL_SERVICES),
                name="intake_not_from_social_services",
                violation_error_message=_("A referral from social services has a caseworker."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "-referral_date"]),
            models.Index(fields=["district", "status", "-referral_date"]),
            models.Index(fields=["unit", "status", "plan_due_date"]),
        ]
        permissions = [
            ("accept_referral", _("Can accept or return a referral")),
            ("close_referral", _("Can close a referral")),
        ]

    def __str__(self):
        return _("Referral of %(date)s") % {"date": self.referral_date}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_intake(self) -> bool:
        """Registered by the unit itself (inskrivning), not referred by a district caseworker: nobody at
        social services has this case (ADR 0020)."""
        return self.caseworker_id is None


class ReferralEvent(models.Model):
    """A status change of a referral (history rows; never edited)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    objects = ReferralEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]


class SendBack(models.Model):
    """The Jobbtorg sends an accepted referral back to the district with a reason (återremittering). The
    caseworker agrees (the referral closes) or disputes it, and the unit heads of both sides — the Jobbtorg's
    and the district's — decide. The current state is `status`; every step is a `SendBackEvent`."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="send_backs")
    reason = models.CharField(_("reason"), max_length=30, choices=SendBackReason.choices)
    explanation = models.TextField(_("explanation"))
    status = models.CharField(
        _("status"), max_length=20, choices=SendBackStatus.choices, default=SendBackStatus.PENDING
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent back by")
    )
    sent_at = models.DateTimeField(_("sent back"), auto_now_add=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = SendBackQuerySet.as_manager()

    class Meta:
        verbose_name = _("send-back")
        verbose_name_plural = _("send-backs")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=OPEN_SEND_BACK_STATUSES),
                name="one_open_send_back_per_referral",
                violation_error_message=_("This referral has already been sent back."),
            )
        ]
        permissions = [("decide_sendback", _("Can decide a disputed send-back"))]

    def __str__(self):
        return _("Send-back of %(date)s") % {"date": timezone.localtime(self.sent_at).date()}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_SEND_BACK_STATUSES


class SendBackEvent(models.Model):
    """A step of a send-back (history rows; never edited): sent back, agreed, escalated, decided."""

    send_back = models.ForeignKey(SendBack, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=SendBackStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SendBackStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class CoachChange(models.Model):
    """Who was made the responsible coach of a referral, by whom, when and why (history rows; never edited).
    The current responsible coach is `Referral.coach`; these rows are the way there."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="coach_changes")
    kind = models.CharField(_("kind"), max_length=20, choices=CoachChangeKind.choices)
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("from"),
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("to"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    objects = CoachChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change of responsible coach")
        verbose_name_plural = _("changes of responsible coach")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_coach", "at"]), models.Index(fields=["referral", "at"])]


class Substitution(models.Model):
    """A handover while a coach is away: from `starts_on` to `ends_on` (both included) the substitute also
    has the absent coach's people among their own cases. It ends by itself after `ends_on`; ending it early
    moves `ends_on`."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="substitutions_away",
        verbose_name=_("coach away"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="substitutions_covering",
        verbose_name=_("substitute"),
    )
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="substitutions", verbose_name=_("unit")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="substitution_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("substitute")), name="substitution_not_oneself"
            ),
        ]
        indexes = [models.Index(fields=["substitute", "ends_on"]), models.Index(fields=["unit", "ends_on"])]

    def __str__(self):
        return _("%(substitute)s for %(coach)s") % {"substitute": self.substitute, "coach": self.coach}
