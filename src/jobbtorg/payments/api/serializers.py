"""Compensation model, payment run, payment line, dispute and creaming-check API shapes. Input serializers
check types and presence only; the services decide."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.followup.assistance_import import parse_month
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.referrals.api.serializers import UserRefSerializer
from jobbtorg.utils.api import BoundedDateField, version_field

from .. import creaming
from ..constants import DeductionTrigger, Outcome, PaymentTier, ReviewDecision, RuleKind
from ..models import (
    CompensationModel,
    CompensationModelVersion,
    CompensationRule,
    CreamingReview,
    Dispute,
    PaymentLine,
    PaymentRun,
    RuleRate,
)
from ..services import RULE_FIELDS

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2025-03"})
class MonthField(serializers.Field):
    """A month written YYYY-MM, as the first day of that month."""

    default_error_messages = {"invalid": _("The month must be written YYYY-MM.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("YYYY-MM"))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 10:
            self.fail("invalid")
        try:
            month = parse_month(data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        if not datetime.date(1900, 1, 1) <= month <= datetime.date(2199, 12, 1):
            raise serializers.ValidationError(_("Enter a month between 1900-01 and 2199-12."))
        return month

    def to_representation(self, value):
        return f"{value:%Y-%m}"


# --- compensation models ---------------------------------------------------------------------------------


class RuleRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleRate
        fields = ["tier", "amount", "multiplier"]


class CompensationRuleSerializer(serializers.ModelSerializer):
    rates = RuleRateSerializer(many=True, read_only=True)

    class Meta:
        model = CompensationRule
        fields = ["id", *RULE_FIELDS, "rates"]  # the fields a new version's rules are written with
        read_only_fields = fields


class CompensationVersionSerializer(serializers.ModelSerializer):
    rules = CompensationRuleSerializer(many=True, read_only=True)
    in_force = serializers.SerializerMethodField(help_text=_("Started: immutable from then on."))

    class Meta:
        model = CompensationModelVersion
        fields = ["id", "valid_from", "in_force", "cap_per_participant", "note", "rules"]
        read_only_fields = fields

    def get_in_force(self, version) -> bool:
        return version.valid_from <= timezone.localdate()


class CompensationModelSerializer(serializers.ModelSerializer):
    versions = CompensationVersionSerializer(many=True, read_only=True)

    class Meta:
        model = CompensationModel
        fields = ["id", "name", "description", "source", "versions"]
        read_only_fields = fields


class RateInputSerializer(serializers.Serializer):
    tier = serializers.ChoiceField(choices=PaymentTier.choices)
    amount = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    multiplier = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, required=False, default=1
    )


class RuleInputSerializer(serializers.Serializer):
    code = serializers.SlugField(
        max_length=40, help_text=_("Stable across versions (a one-off fee is paid once).")
    )
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    label = serializers.CharField(max_length=120)
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, default=0)
    tiers = serializers.CharField(max_length=3, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    min_hours_per_week = serializers.IntegerField(min_value=0, max_value=80, required=False, allow_null=True)
    min_weeks = serializers.IntegerField(min_value=0, max_value=520, required=False, allow_null=True)
    months_without_assistance = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )
    waiting_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=0)
    max_months_in_service = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    interval_weeks = serializers.IntegerField(min_value=1, max_value=52, required=False, allow_null=True)
    max_occurrences = serializers.IntegerField(min_value=1, max_value=520, required=False, allow_null=True)
    count_subsidised = serializers.BooleanField(required=False, default=True)
    cap_per_participant = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    deduction_trigger = serializers.ChoiceField(
        choices=DeductionTrigger.choices, required=False, allow_blank=True, default=""
    )
    late_after_days = serializers.IntegerField(min_value=0, max_value=365, required=False, allow_null=True)
    order = serializers.IntegerField(min_value=0, max_value=1000, required=False, default=0)
    rates = RateInputSerializer(many=True, required=False)


class VersionCreateSerializer(serializers.Serializer):
    valid_from = BoundedDateField(help_text=_("After today: versions in force are immutable."))
    cap_per_participant = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    rules = RuleInputSerializer(
        many=True,
        required=False,
        help_text=_("Leave out to carry the latest version's rules over unchanged."),
    )


# --- runs and lines --------------------------------------------------------------------------------------


class PaymentRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "month",
            "status",
            "computed_at",
            "approved_at",
            "line_count",
            "total",
            "lock_version",
        ]
        read_only_fields = fields


class RunComputeSerializer(serializers.Serializer):
    month = MonthField()
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Compute and report, write nothing (preview).")
    )


class ProviderSumSerializer(serializers.Serializer):
    provider = serializers.IntegerField(source="provider_id")
    name = serializers.CharField(source="provider__name")
    lines = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    adjustments = serializers.IntegerField()
    held = serializers.IntegerField(help_text=_("Lines held for a creaming review: not in the total."))


class RunResultSerializer(serializers.Serializer):
    month = serializers.DateField()
    dry_run = serializers.BooleanField()
    run = PaymentRunSerializer(allow_null=True)
    lines = serializers.IntegerField()
    adjustments = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    providers = ProviderSumSerializer(many=True)


class RunDetailSerializer(PaymentRunSerializer):
    providers = ProviderSumSerializer(many=True, read_only=True)

    class Meta(PaymentRunSerializer.Meta):
        fields = [*PaymentRunSerializer.Meta.fields, "providers"]
        read_only_fields = fields


class ApproveSerializer(serializers.Serializer):
    version = version_field()


class DisputeSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    answered_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "line",
            "comment",
            "status",
            "created_by",
            "created_at",
            "answer",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class PaymentLineSerializer(serializers.ModelSerializer):
    month = serializers.DateField(source="run.month", read_only=True, help_text=_("The run the line is in."))
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    participant = serializers.SerializerMethodField(
        help_text=_("Who the line is for; null once your access to the person has ended (provider staff).")
    )
    rule_label = serializers.CharField(source="rule.label", read_only=True)
    evidence = serializers.DictField(read_only=True, help_text=_("What triggered the line."))
    disputes = DisputeSerializer(many=True, read_only=True)

    class Meta:
        model = PaymentLine
        fields = [
            "id",
            "month",
            "provider",
            "provider_name",
            "participant",
            "rule_code",
            "rule_label",
            "kind",
            "period",
            "period_month",
            "tier",
            "amount",
            "is_adjustment",
            "held_by",
            "reverses",
            "evidence",
            "disputes",
        ]
        read_only_fields = fields

    @extend_schema_field(ParticipantSummarySerializer(allow_null=True))
    def get_participant(self, line):
        return ParticipantSummarySerializer(line.participant).data if line.person_shown else None


class LineFilterSerializer(serializers.Serializer):
    month = MonthField(required=False, help_text=_("YYYY-MM: the lines of that month's run."))
    provider = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class ExportFilterSerializer(serializers.Serializer):
    month = MonthField()
    provider = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


class DisputeCreateSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("A line of your own provider.")
    )
    comment = serializers.CharField(max_length=4000, help_text=_("Why the line is wrong."))


class DisputeAnswerSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("Accepting removes the line from the draft."))
    answer = serializers.CharField(max_length=4000)


# --- creaming and parking check --------------------------------------------------------------------------


class CreamingFilterSerializer(serializers.Serializer):
    start = BoundedDateField(required=False, help_text=_("Default: twelve whole months back."))
    end = BoundedDateField(required=False, help_text=_("Default: the end of last month."))

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": [_("The end cannot be before the start.")]})
        if start and end and (end - start).days > 3 * 366:
            raise serializers.ValidationError({"end": [_("At most three years at a time.")]})
        return data


class FiguresSerializer(serializers.Serializer):
    intake = serializers.IntegerField(
        allow_null=True, help_text=_("None: withheld (fewer than 5 people, or would reveal such a count).")
    )
    early_exits = serializers.IntegerField(allow_null=True)
    results = serializers.IntegerField(allow_null=True)
    sustained = serializers.IntegerField(allow_null=True)
    participants = serializers.IntegerField(allow_null=True)
    participant_months = serializers.IntegerField(allow_null=True)
    meetings = serializers.IntegerField(allow_null=True)
    meetings_per_month = serializers.FloatField(allow_null=True)
    early_exit_share = serializers.FloatField(allow_null=True)


class TierFiguresSerializer(serializers.Serializer):
    A = FiguresSerializer()
    B = FiguresSerializer()
    C = FiguresSerializer()


class FlagSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(code, code) for code in creaming.FLAGS])
    label = serializers.CharField()


class ProviderCheckSerializer(serializers.Serializer):
    provider = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    tiers = TierFiguresSerializer()
    total = FiguresSerializer()
    flags = FlagSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())


class RuleExplainedSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(code, code) for code in creaming.FLAGS])
    label = serializers.CharField()
    text = serializers.CharField(help_text=_("The rule and its thresholds in force, in plain words."))


class NewParticipantsSerializer(serializers.Serializer):
    A = serializers.IntegerField(allow_null=True)
    B = serializers.IntegerField(allow_null=True)
    C = serializers.IntegerField(allow_null=True)
    total = serializers.IntegerField(allow_null=True)


class CreamingReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    thresholds = serializers.DictField(
        help_text=_("The thresholds of the rules in force (settings JOBBTORG_CREAMING; docs/payments.md).")
    )
    rules = RuleExplainedSerializer(many=True)
    new_participants = NewParticipantsSerializer(
        help_text=_(
            "The municipality's new participants of the period by tier (the mix intake is compared with)."
        )
    )
    suppressed = serializers.BooleanField(
        help_text=_("Counts of fewer than 5 people, and figures that would reveal them, are null (analysts).")
    )
    providers = ProviderCheckSerializer(many=True)
    average = ProviderCheckSerializer(help_text=_("All providers together."))


# --- creaming reviews ------------------------------------------------------------------------------------


class CreamingReviewSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    people = serializers.IntegerField(read_only=True, help_text=_("How many people the flag is about."))
    held_lines = serializers.IntegerField(
        source="held_count",
        read_only=True,
        help_text=_("Payment lines held by the review (not paid with their run)."),
    )
    held_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    figures = serializers.DictField(read_only=True, help_text=_("The figures behind the flag."))
    opened_by = UserRefSerializer(read_only=True, allow_null=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CreamingReview
        fields = [
            "id",
            "provider",
            "provider_name",
            "rule",
            "tier",
            "start",
            "end",
            "status",
            "decision",
            "reason",
            "figures",
            "people",
            "held_lines",
            "held_amount",
            "opened_at",
            "opened_by",
            "decided_at",
            "decided_by",
            "lock_version",
        ]
        read_only_fields = fields


class CreamingReviewOpenSerializer(CreamingFilterSerializer):
    pass


class CreamingReviewDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    reason = serializers.CharField(max_length=4000)
    version = version_field(required=False)
