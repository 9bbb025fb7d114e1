from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.accounts.selectors import unit_coaches
from jobbtorg.audit.services import log_reads
from jobbtorg.referrals import perms as referral_perms
from jobbtorg.referrals import services as referral_services
from jobbtorg.utils.api import allowed_by, errors
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors
from .serializers import (
    CaseloadQuerySerializer,
    CaseloadSerializer,
    ReassignResultSerializer,
    ReassignSerializer,
)

HEAD_ONLY = "Only the unit head sees and changes caseloads."


class CaseloadView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(perms.can_view_caseloads, HEAD_ONLY)]

    @extend_schema(
        summary="The caseloads of your unit (unit head)",
        description="People per staff member, overdue plans per coach, and the people with no meeting, "
        "journal entry or running activity in the last `weeks` weeks. Each person listed is logged as read.",
        parameters=[CaseloadQuerySerializer],
        responses={200: CaseloadSerializer, **errors(400, 403)},
    )
    def get(self, request):
        query = _input(request, CaseloadQuerySerializer, data=request.query_params)
        weeks = query.get("weeks") or selectors.lost_weeks_default()
        today = timezone.localdate()
        lost = list(selectors.lost_people(user=request.user, today=today, weeks=weeks))
        data = CaseloadSerializer(
            {
                "weeks": weeks,
                "staff": selectors.staff_loads(user=request.user, today=today, weeks=weeks),
                "unassigned": selectors.unassigned_count(user=request.user),
                "lost": lost,
            }
        ).data
        log_reads(request, [r.participant for r in lost], view="caseloads")
        return Response(data)


class ReassignView(APIView):
    permission_classes = [IsAuthenticated, allowed_by(referral_perms.can_reassign_cases, HEAD_ONLY)]

    @extend_schema(
        summary="Reassign people to another coach in bulk (unit head)",
        description="All or none, in one transaction: if any referral's `version` is no longer its "
        "`lock_version` (someone changed it meanwhile) nothing moves and the answer is 409. Each move is "
        "kept in the referral's coach history with the reason.",
        request=ReassignSerializer,
        responses={200: ReassignResultSerializer, **errors(400, 403, 409)},
    )
    def post(self, request):
        data = _input(request, ReassignSerializer)
        coach = get_object_or_404(unit_coaches(request.user.unit_id), pk=data["coach"])
        changes = referral_services.referrals_reassign(
            versions={item["id"]: item["version"] for item in data["referrals"]},
            to_coach=coach,
            by=request.user,
            reason=data["reason"],
        )
        return Response(ReassignResultSerializer({"moved": len(changes)}).data)
