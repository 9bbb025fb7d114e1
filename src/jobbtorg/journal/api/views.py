"""The journal (list, read, write, sign, correct) and the messages on a case (list, send). Views parse input,
call a service and render; the services decide. Every response that shows a person is read-logged."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from jobbtorg.audit.services import log_read, log_reads
from jobbtorg.participants.models import Participant
from jobbtorg.providers.models import Provider
from jobbtorg.utils.api import WRITE_ACTION, allowed_by, errors
from jobbtorg.utils.api import validated_input as _input

from .. import perms, selectors, services
from ..models import JournalEntry, Message
from .serializers import (
    JournalEntryCreateSerializer,
    JournalEntrySerializer,
    MessageCreateSerializer,
    MessageSerializer,
)


def _log_page(request, paginator, view: str) -> None:
    page = getattr(paginator, "page", None)
    log_reads(request, [item.participant for item in (page.object_list if page else [])], view=view)


@extend_schema_view(
    list=extend_schema(
        summary="Journal entries",
        description="The journal entries you see (`participant` filters one person's journal), newest first. "
        "Unsigned drafts are shown to their author only. Each person listed is logged as read.",
        responses={200: JournalEntrySerializer(many=True), **errors(400, 403)},
    ),
    retrieve=extend_schema(
        summary="A journal entry", responses={200: JournalEntrySerializer, **errors(403, 404)}
    ),
)
class JournalEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = JournalEntrySerializer
    filterset_fields = ["participant", "kind"]
    lookup_value_converter = "uuid"

    def get_permissions(self):
        rule = perms.can_write_journals if self.action == "create" else perms.can_view_journals
        return [IsAuthenticated(), allowed_by(rule)()]

    def get_queryset(self):
        return (
            JournalEntry.objects.visible_to(self.request.user)
            .select_related("participant", "author", "author_provider")
            .order_by("-occurred_on", "-written_at", "id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        _log_page(request, self.paginator, view="journal_list")
        return response

    def retrieve(self, request, *args, **kwargs):
        entry = self.get_object()
        log_read(request, entry.participant, view="journal_entry")
        return Response(JournalEntrySerializer(entry).data)

    @extend_schema(
        summary="Write a journal entry",
        description="A new entry on the person's case (coaches, counsellors and matchers of the unit; "
        "provider staff for people assigned to them). `sign` signs it at once; `corrects` makes it a "
        "correction of a signed entry (the original is never changed). A person you do not see is a 404.",
        request=JournalEntryCreateSerializer,
        responses={201: JournalEntrySerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, JournalEntryCreateSerializer)
        corrects = None
        if data.get("corrects"):
            corrects = get_object_or_404(JournalEntry.objects.visible_to(request.user), pk=data["corrects"])
            referral = corrects.referral
        else:
            participant = get_object_or_404(
                Participant.objects.visible_to(request.user), pk=data["participant"]
            )
            referral = selectors.case_referral_for(user=request.user, participant=participant)
        entry = services.entry_write(
            referral=referral,
            corrects=corrects,
            by=request.user,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            body=data["body"],
            sign=data["sign"],
        )
        return Response(
            JournalEntrySerializer(self.get_queryset().get(pk=entry.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Sign a journal entry",
        description="Only the author signs their unsigned entry; a signed entry is never changed.",
        request=None,
        responses={200: JournalEntrySerializer, **errors(403, 404)},
    )
    @action(**WRITE_ACTION)
    def sign(self, request, pk=None):
        entry = self.get_object()
        services.entry_sign(entry=entry, by=request.user)
        return Response(JournalEntrySerializer(self.get_queryset().get(pk=entry.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Messages on cases",
        description="The messages you see, oldest first: a participant their own thread with the Jobbtorg; "
        "Jobbtorg staff the threads on their unit's cases; provider staff their organisation's threads. "
        "Filter by `participant` and `provider`. Each person listed is logged as read.",
        parameters=[OpenApiParameter("provider", int, required=False)],
        responses={200: MessageSerializer(many=True), **errors(400, 403)},
    ),
)
class MessageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = MessageSerializer
    filterset_fields = ["participant", "provider"]

    def get_permissions(self):
        return [IsAuthenticated(), allowed_by(perms.can_view_messages)()]

    def get_queryset(self):
        return (
            Message.objects.visible_to(self.request.user)
            .select_related("participant", "sender")
            .order_by("sent_at", "id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        _log_page(request, self.paginator, view="message_list")
        return response

    @extend_schema(
        summary="Send a message",
        description="A message in a thread on the person's case (no `provider`: with the person; a provider: "
        "with that provider about the person). It cannot be changed or deleted. The other side gets an "
        "e-mail/SMS notice without personal data.",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer, **errors(400, 403, 404)},
    )
    def create(self, request, *args, **kwargs):
        data = _input(request, MessageCreateSerializer)
        user = request.user
        participant = get_object_or_404(Participant.objects.visible_to(user), pk=data["participant"])
        provider = None
        if data.get("provider"):
            provider = Provider.objects.filter(pk=data["provider"]).first()
            if provider is None:
                raise Http404
        referral = selectors.case_referral_for(user=user, participant=participant)
        message = services.message_send(referral=referral, provider=provider, by=user, body=data["body"])
        return Response(
            MessageSerializer(self.get_queryset().get(pk=message.pk)).data, status=status.HTTP_201_CREATED
        )
