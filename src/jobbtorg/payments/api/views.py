"""Compensation models (list, retrieve, add a version), payment runs (compute or preview a month, approve
and lock), payment lines (per provider and month, CSV export), disputes and the creaming and parking check.
Every queryset is scoped by `visible_to(user)` (payments/querysets.py); views parse input, call a service or
selector and render."""

import io

from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.audit.services import log_reads
from jobbtorg.utils import suppression
from jobbtorg.utils.api import WRITE_ACTION, allowed_by, errors, has_any_perm, has_perms
from jobbtorg.utils.api import validated_input as _input

from .. import creaming, perms, services
from ..constants import ReviewDecision
from ..exports import write_payment_basis_csv
from ..models import (
    CompensationModel,
    CompensationModelVersion,
    CompensationRule,
    CreamingReview,
    Dispute,
    PaymentLine,
    PaymentRun,
)
from ..querysets import PAID
from .serializers import (
    ApproveSerializer,
    CompensationModelSerializer,
    CompensationVersionSerializer,
    CreamingFilterSerializer,
    CreamingReportSerializer,
    CreamingReviewDecideSerializer,
    CreamingReviewOpenSerializer,
    CreamingReviewSerializer,
    DisputeAnswerSerializer,
    DisputeCreateSerializer,
    DisputeSerializer,
    ExportFilterSerializer,
    LineFilterSerializer,
    PaymentLineSerializer,
    PaymentRunSerializer,
    RunComputeSerializer,
    RunDetailSerializer,
    RunResultSerializer,
    VersionCreateSerializer,
)

SEES_LINES = has_any_perm("payments.view_payment_basis", "payments.view_paymentline")


def _provider_sums(run_id):
    return list(
        PaymentLine.objects.filter(run_id=run_id)
        .values("provider_id", "provider__name")
        .annotate(
            lines=Count("id"),
            total=Sum("amount", filter=PAID),
            adjustments=Count("id", filter=Q(is_adjustment=True)),
            held=Count("id", filter=~PAID),
        )
        .order_by("provider__name")
    )


# --- compensation models ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Compensation models",
        description="Finance and unit heads: the models of your municipality; provider staff: the models "
        "your contracts and authorisations are paid by. With every version and its rules.",
        responses={200: CompensationModelSerializer(many=True), **errors(403)},
    ),
    retrieve=extend_schema(
        summary="A compensation model with its versions and rules",
        responses={200: CompensationModelSerializer, **errors(403, 404)},
    ),
)
class CompensationModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CompensationModelSerializer
    lookup_value_converter = "int"
    filter_backends = []

    def get_permissions(self):
        if self.action == "versions":
            return [IsAuthenticated(), has_perms("payments.manage_compensation")()]
        return [
            IsAuthenticated(),
            has_any_perm(
                "payments.manage_compensation", "payments.view_payment_basis", "payments.view_paymentline"
            )(),
        ]

    def get_queryset(self):
        rules = CompensationRule.objects.prefetch_related("rates").order_by("order", "id")
        versions = CompensationModelVersion.objects.prefetch_related(Prefetch("rules", queryset=rules))
        return (
            CompensationModel.objects.visible_to(self.request.user)
            .prefetch_related(Prefetch("versions", queryset=versions.order_by("-valid_from")))
            .order_by("name", "id")
        )

    @extend_schema(
        summary="Add a version to a compensation model",
        description="The new rules apply only from `valid_from`, which must lie after today: "
        "versions in force "
        "(started) are immutable, so months already paid never change. Without `rules`, the latest version's "
        "rules are carried over (e.g. to change only the cap). A rule's `code` names it across versions, so "
        "a one-off fee is not paid again under the new version. Errors name the field, e.g. "
        "`rules[1].rates[0].tier`.",
        request=VersionCreateSerializer,
        responses={201: CompensationVersionSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def versions(self, request, pk=None):
        model = self.get_object()
        data = _input(request, VersionCreateSerializer)
        version = services.compensation_version_create(model=model, by=request.user, **data)
        version = CompensationModelVersion.objects.prefetch_related("rules__rates").get(pk=version.pk)
        return Response(CompensationVersionSerializer(version).data, status=status.HTTP_201_CREATED)


# --- payment runs ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Payment runs",
        description="The monthly payment basis of your municipality, newest first (finance, unit heads).",
        responses={200: PaymentRunSerializer(many=True), **errors(403)},
    ),
    retrieve=extend_schema(
        summary="A payment run with its sums per provider",
        responses={200: RunDetailSerializer, **errors(403, 404)},
    ),
)
class PaymentRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PaymentRunSerializer
    lookup_value_converter = "int"
    filter_backends = []

    def get_permissions(self):
        rule = {
            "compute": perms.can_run_payments,
            "approve": perms.can_approve_payments,
        }.get(self.action, perms.can_view_payment_basis)
        return [IsAuthenticated(), allowed_by(rule)()]

    def get_queryset(self):
        return PaymentRun.objects.visible_to(self.request.user).order_by("-month")

    def retrieve(self, request, *args, **kwargs):
        run = self.get_object()
        run.providers = _provider_sums(run.pk)
        return Response(RunDetailSerializer(run).data)

    @extend_schema(
        summary="Compute the payment basis of a month (or preview it)",
        description="One line per participant and rule with the evidence that triggered it, for every "
        "provider of your municipality, in one transaction. Running a month again recomputes the draft and "
        "never pays a line twice; late evidence and claw-backs become adjustment lines; an approved month is "
        "locked (400 on `month`). With `dry_run` nothing is written (`run` is null).",
        request=RunComputeSerializer,
        responses={200: RunResultSerializer, **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def compute(self, request):
        data = _input(request, RunComputeSerializer)
        user = request.user
        if not user.municipality_id:
            raise ValidationError({"non_field_errors": [_("Your login belongs to no municipality.")]})
        [result] = services.payment_run(
            month=data["month"], by=user, municipality=user.municipality, dry_run=data["dry_run"]
        )
        return Response(
            RunResultSerializer(
                {
                    "month": result.month,
                    "dry_run": data["dry_run"],
                    "run": result.run,
                    "lines": result.lines,
                    "adjustments": result.adjustments,
                    "total": result.total,
                    "providers": result.providers,
                }
            ).data
        )

    @extend_schema(
        summary="Approve and lock a month's payment basis",
        description="Needs a computed run without open disputes. `version` is the run's `lock_version` (a "
        "stale one is a 409: someone recomputed or approved meanwhile).",
        request=ApproveSerializer,
        responses={200: PaymentRunSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def approve(self, request, pk=None):
        run = self.get_object()
        data = _input(request, ApproveSerializer)
        run = services.payment_run_approve(run=run, by=request.user, version=data["version"])
        return Response(PaymentRunSerializer(run).data)


# --- payment lines ---------------------------------------------------------------------------------------


def _lines_for(request, params):
    lines = (
        PaymentLine.objects.visible_to(request.user)
        .with_person_shown(request.user)
        .select_related("run", "provider", "participant", "rule")
    )
    if params.get("month"):
        lines = lines.filter(run__month=params["month"])
    if params.get("provider"):
        lines = lines.filter(provider_id=params["provider"])
    return lines


@extend_schema_view(
    list=extend_schema(
        summary="Payment lines",
        description="Filter by `month` (YYYY-MM) and `provider`. Finance and unit heads see every "
        "provider of "
        "the municipality; provider staff only their own. Each person listed is logged as read.",
        parameters=[LineFilterSerializer],
        responses={200: PaymentLineSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A payment line with its evidence and disputes",
        responses={200: PaymentLineSerializer, **errors(403, 404)},
    ),
)
class PaymentLineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PaymentLineSerializer
    permission_classes = [IsAuthenticated, SEES_LINES]
    lookup_value_converter = "int"
    filter_backends = []

    def get_queryset(self):
        params = {}
        if self.action == "list":
            params = _input(self.request, LineFilterSerializer, data=self.request.query_params)
        return (
            _lines_for(self.request, params)
            .prefetch_related("disputes__created_by", "disputes__answered_by")
            .order_by(
                "run__month", "provider__name", "participant__last_name", "period_month", "rule_code", "id"
            )
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None)
        lines = page.object_list if page else []
        log_reads(request, [line.participant for line in lines if line.person_shown], "payment_lines")
        return response

    def retrieve(self, request, *args, **kwargs):
        line = self.get_object()
        log_reads(request, [line.participant] if line.person_shown else [], view="payment_line")
        return Response(PaymentLineSerializer(line).data)

    @extend_schema(
        summary="The payment basis as CSV",
        description="For the finance department: one row per line of a month (`month` required), for one "
        "`provider` or every provider you see; `;`-separated, decimal comma, identity numbers masked.",
        parameters=[ExportFilterSerializer],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR), **errors(400, 403)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request):
        params = _input(request, ExportFilterSerializer, data=request.query_params)
        lines = list(
            _lines_for(request, params).order_by(
                "provider__name", "participant__last_name", "period_month", "rule_code", "id"
            )
        )
        shown = [line.participant for line in lines if line.person_shown]
        log_reads(request, shown, view="payment_basis_csv")
        out = io.StringIO()
        write_payment_basis_csv(out, lines)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        suffix = f"-{params['provider']}" if params.get("provider") else ""
        response["Content-Disposition"] = (
            f'attachment; filename="betalningsunderlag-{params["month"]:%Y-%m}{suffix}.csv"'
        )
        return response


# --- disputes --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Disputes",
        description="Provider staff: the disputes on your own lines; finance: every dispute of the "
        "municipality. Filter by `status`.",
        responses={200: DisputeSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(summary="A dispute", responses={200: DisputeSerializer, **errors(403, 404)}),
)
class DisputeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DisputeSerializer
    filterset_fields = ["status"]
    lookup_value_converter = "int"

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), has_perms("payments.add_dispute")()]
        if self.action == "answer":
            return [IsAuthenticated(), allowed_by(perms.can_approve_payments)()]
        return [IsAuthenticated(), SEES_LINES()]

    def get_queryset(self):
        return (
            Dispute.objects.visible_to(self.request.user)
            .select_related("created_by", "answered_by")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        summary="Dispute a line (provider staff)",
        description="A line of your own provider, with a comment, while the month is not approved. A line "
        "you do not see is a 404; an approved month or an empty comment is a 400.",
        request=DisputeCreateSerializer,
        responses={201: DisputeSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, DisputeCreateSerializer)
        line = get_object_or_404(PaymentLine.objects.visible_to(request.user), pk=data["line"])
        dispute = services.dispute_create(line=line, by=request.user, comment=data["comment"])
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer a dispute (finance)",
        description="Accept (the line leaves the draft; a corrected one comes with the next run) or reject, "
        "with an answer. An answered dispute or an approved month is a 400.",
        request=DisputeAnswerSerializer,
        responses={200: DisputeSerializer, **errors(400, 403, 404)},
    )
    @action(**WRITE_ACTION)
    def answer(self, request, pk=None):
        dispute = self.get_object()
        data = _input(request, DisputeAnswerSerializer)
        dispute = services.dispute_answer(dispute=dispute, by=request.user, **data)
        return Response(DisputeSerializer(dispute).data)


# --- creaming and parking check --------------------------------------------------------------------------


class CreamingCheckView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_creaming_check)]

    @extend_schema(
        summary="The creaming and parking check",
        description="Per provider of your municipality, for a period (default the last twelve whole months): "
        "intake, early exits, results (work or studies, and how many lasted without assistance) and meetings "
        "per participant and month, by distance tier A/B/C, against all providers together, and the "
        "municipality's new participants by tier. Flags: results only from people near the labour market "
        "(`creaming`), intake mostly from tier A against the municipality's mix beyond chance (`selection`), "
        "far tiers sent back early against the other providers (`early_exit`), tier C met clearly less than "
        "at the other providers (`parked`); each with the figures behind it in `reasons` and the thresholds "
        "in force in `thresholds`. Aggregates only; for analysts counts of 0–4 are null and no share of a "
        "group under five is given.",
        parameters=[CreamingFilterSerializer],
        responses={200: CreamingReportSerializer, **errors(400, 403)},
    )
    def get(self, request):
        params = _input(request, CreamingFilterSerializer, data=request.query_params)
        municipality_id = municipality_id_of(request.user)
        if not municipality_id:
            raise ValidationError({"non_field_errors": [_("Your login belongs to no municipality.")]})
        default_start, default_end = creaming.default_period(timezone.localdate())
        report = creaming.creaming_check(
            municipality_id=municipality_id,
            start=params.get("start") or default_start,
            end=params.get("end") or default_end,
        )
        suppress = not request.user.has_perm("payments.view_payment_basis")
        data = suppression.numeric_tree(creaming.report_as_dict(report, suppress=suppress))
        return Response(CreamingReportSerializer(data).data)


# --- creaming reviews ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Creaming reviews",
        description="Finance: the flags of the creaming check put under review in your municipality, open "
        "ones first, each with the figures behind it, how many people it is about and the payment lines it "
        "holds (not paid until a decision). Filter by `status`.",
        responses={200: CreamingReviewSerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A creaming review", responses={200: CreamingReviewSerializer, **errors(403, 404)}
    ),
)
class CreamingReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CreamingReviewSerializer
    filterset_fields = ["status"]
    lookup_value_converter = "int"

    def get_permissions(self):
        if self.action in ("decide", "open"):
            return [IsAuthenticated(), allowed_by(perms.can_open_creaming_reviews)()]
        return [IsAuthenticated(), allowed_by(perms.can_view_creaming_reviews)()]

    def get_queryset(self):
        return (
            CreamingReview.objects.visible_to(self.request.user)
            .select_related("provider", "opened_by", "decided_by")
            .with_held_figures()
            .order_by("status", "-opened_at", "-id")
        )

    @extend_schema(
        summary="Put the flags of the creaming check under review (the contract manager)",
        description="Runs the check for the period (default the last twelve whole months) and opens a review "
        "for each flag not yet under review for that period; the provider's draft payment lines for the "
        "flagged people and months are held, and later runs hold theirs too. Returns the reviews opened.",
        request=CreamingReviewOpenSerializer,
        responses={201: CreamingReviewSerializer(many=True), **errors(400, 403)},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def open(self, request):
        data = _input(request, CreamingReviewOpenSerializer)
        municipality_id = municipality_id_of(request.user)
        if not municipality_id:
            raise ValidationError({"non_field_errors": [_("Your login belongs to no municipality.")]})
        default_start, default_end = creaming.default_period(timezone.localdate())
        opened = services.creaming_reviews_open(
            municipality=request.user.municipality,
            start=data.get("start") or default_start,
            end=data.get("end") or default_end,
            by=request.user,
        )
        reviews = self.get_queryset().filter(pk__in=[r.pk for r in opened])
        return Response(CreamingReviewSerializer(reviews, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Decide a creaming review (the contract manager)",
        description="`release`: the held lines are paid (with their draft, or by the next run when their "
        "month is approved); `reject`: they are never paid and lines already paid for the flagged people "
        "and months are clawed back by the next run. A reason is required; a decided review is a 400, a "
        "stale `version` a 409.",
        request=CreamingReviewDecideSerializer,
        responses={200: CreamingReviewSerializer, **errors(400, 403, 404, 409)},
    )
    @action(**WRITE_ACTION)
    def decide(self, request, pk=None):
        review = self.get_object()
        data = _input(request, CreamingReviewDecideSerializer)
        services.creaming_review_decide(
            review=review,
            by=request.user,
            release=data["decision"] == ReviewDecision.RELEASE,
            reason=data["reason"],
            version=data.get("version"),
        )
        return Response(CreamingReviewSerializer(self.get_queryset().get(pk=review.pk)).data)
