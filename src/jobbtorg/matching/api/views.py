"""Matching API: employers, vacancies (with ranked participants), matches and their flow, and the ranking
of vacancies for a participant. Views parse input, call matching.services / selectors, and render."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.participants.models import Participant
from jobbtorg.taxonomy.selectors import groups_by_code
from jobbtorg.utils.api import IsUnitStaff, allowed_by
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors, services
from ..city_feed import city_vacancies_file, city_vacancies_import
from ..explain import describe
from ..models import Employer, Match, Vacancy
from .serializers import (
    AnswerSerializer,
    CityFeedResultSerializer,
    CityVacanciesInputSerializer,
    EmployerInputSerializer,
    EmployerSerializer,
    MatchSerializer,
    OutcomeSerializer,
    ProposeSerializer,
    RankedVacancySerializer,
    VacancyInputSerializer,
    VacancyRankingSerializer,
    VacancySerializer,
    VersionNoteSerializer,
)


def _out(match) -> dict:
    """The match as stored now (its history re-read after a change)."""
    return MatchSerializer(Match.objects.prefetch_related("events").get(pk=match.pk)).data


class EmployerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EmployerSerializer
    permission_classes = [allowed_by(perms.can_view_matching, IsUnitStaff.message)]

    def get_queryset(self):
        return Employer.objects.visible_to(self.request.user).prefetch_related("contacts")

    @extend_schema(request=EmployerInputSerializer, responses={201: EmployerSerializer})
    def create(self, request):
        employer = services.employer_save(by=request.user, **_input(request, EmployerInputSerializer))
        return Response(EmployerSerializer(employer).data, status=201)

    @extend_schema(request=EmployerInputSerializer, responses=EmployerSerializer)
    def partial_update(self, request, pk=None):
        employer = self.get_object()
        data = EmployerInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        employer = services.employer_save(by=request.user, employer=employer, **data.validated_data)
        return Response(EmployerSerializer(employer).data)

    @extend_schema(
        request={
            "multipart/form-data": CityVacanciesInputSerializer,
            "application/json": CityVacanciesInputSerializer,
        },
        responses={200: CityFeedResultSerializer, 400: CityFeedResultSerializer},
    )
    @action(detail=True, methods=["post"], url_path="city-vacancies")
    def city_vacancies(self, request, pk=None):
        """The city's own vacancies (an employer flagged as the city): all rows or none, by the city's id."""
        employer = self.get_object()
        data = _input(request, CityVacanciesInputSerializer)
        if "file" in data:
            upload = data["file"]
            result = city_vacancies_file(
                by=request.user, employer=employer, content=upload.read(), file_name=upload.name
            )
        else:
            rows = [(number, row) for number, row in enumerate(data["vacancies"], start=1)]
            result = city_vacancies_import(by=request.user, employer=employer, rows=rows)
        payload = {
            "ok": result.ok,
            "created": result.created,
            "updated": result.updated,
            "closed": result.closed,
            "errors": [{"line": line, "message": message} for line, message in result.errors],
        }
        return Response(CityFeedResultSerializer(payload).data, status=200 if result.ok else 400)


class VacancyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = VacancySerializer
    permission_classes = [allowed_by(perms.can_view_matching, IsUnitStaff.message)]

    def get_queryset(self):
        qs = (
            Vacancy.objects.visible_to(self.request.user)
            .select_related("employer", "occupation")
            .prefetch_related("skill_links")
        )
        status = self.request.query_params.get("status")
        return qs.filter(status=status) if status else qs

    @extend_schema(request=VacancyInputSerializer, responses={201: VacancySerializer})
    def create(self, request):
        data = _input(request, VacancyInputSerializer)
        employer = get_object_or_404(Employer.objects.visible_to(request.user), pk=data.pop("employer", None))
        vacancy = services.vacancy_save(by=request.user, employer=employer, **data)
        return Response(VacancySerializer(vacancy).data, status=201)

    @extend_schema(request=VacancyInputSerializer, responses=VacancySerializer)
    def partial_update(self, request, pk=None):
        vacancy = self.get_object()
        data = VacancyInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("employer", None)
        vacancy = services.vacancy_save(by=request.user, vacancy=vacancy, **values)
        return Response(VacancySerializer(vacancy).data)

    @extend_schema(responses=VacancyRankingSerializer)
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        """Participants of your unit ranked for this vacancy, each score explained; and those filtered out
        by a hard requirement, with why not."""
        vacancy = self.get_object()
        ranked, filtered = selectors.rank_participants_for_vacancy(vacancy=vacancy, user=request.user, k=50)
        codes = {vacancy.occupation_id}
        for item in ranked + filtered:
            codes.update(item["mapping"].wanted_occupations or [])
        labels = {c: g.label for c, g in groups_by_code(codes).items()}
        for item in ranked + filtered:
            item["described"] = describe(item["explanation"], labels)
        log_reads(request, [i["participant"] for i in ranked + filtered], "vacancy_ranking")
        return Response(VacancyRankingSerializer({"ranked": ranked, "filtered": filtered}).data)


class ParticipantRankingViewSet(viewsets.GenericViewSet):
    """Ranked open vacancies for one participant of your unit."""

    permission_classes = [allowed_by(perms.can_view_matching, IsUnitStaff.message)]
    serializer_class = RankedVacancySerializer

    def get_queryset(self):
        return Participant.objects.visible_to(self.request.user)

    @extend_schema(responses=RankedVacancySerializer(many=True))
    def retrieve(self, request, pk=None):
        participant = self.get_object()
        ranked = selectors.rank_vacancies_for_participant(participant=participant, user=request.user, k=20)
        codes = {r["vacancy"].occupation_id for r in ranked}
        labels = {c: g.label for c, g in groups_by_code(codes).items()}
        for item in ranked:
            item["described"] = describe(item["explanation"], labels)
        log_read(request, participant, "vacancy_ranking")
        return Response(RankedVacancySerializer(ranked, many=True).data)


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MatchSerializer
    permission_classes = [allowed_by(perms.can_view_matches, IsUnitStaff.message)]

    def get_queryset(self):
        return (
            Match.objects.visible_to(self.request.user)
            .select_related("participant")
            .prefetch_related("events")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = page if page is not None else list(queryset)
        log_reads(request, [m.participant for m in items], "match_list")
        data = MatchSerializer(items, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        match = self.get_object()
        log_read(request, match.participant, "match")
        return Response(_out(match))

    @extend_schema(request=ProposeSerializer, responses={201: MatchSerializer})
    def create(self, request):
        data = _input(request, ProposeSerializer)
        participant = Participant.objects.filter(pk=data["participant"]).first()
        vacancy = get_object_or_404(Vacancy.objects.visible_to(request.user), pk=data["vacancy"])
        if participant is None:
            raise ValidationError({"participant": [_("Unknown participant.")]})
        match = services.match_propose(
            participant=participant, vacancy=vacancy, by=request.user, note=data["note"]
        )
        return Response(_out(match), status=201)

    @extend_schema(request=AnswerSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = _input(request, AnswerSerializer)
        match = services.match_participant_answer(match=self.get_object(), by=request.user, **data)
        return Response(_out(match))

    @extend_schema(request=VersionNoteSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def contacted(self, request, pk=None):
        match = services.match_employer_contacted(
            match=self.get_object(), by=request.user, **_input(request, VersionNoteSerializer)
        )
        return Response(_out(match))

    @extend_schema(request=OutcomeSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        match = services.match_outcome(
            match=self.get_object(), by=request.user, **_input(request, OutcomeSerializer)
        )
        return Response(_out(match))

    @extend_schema(request=VersionNoteSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        match = services.match_withdraw(
            match=self.get_object(), by=request.user, **_input(request, VersionNoteSerializer)
        )
        return Response(_out(match))
