"""`POST /api/auth/token/`: kept so that old scripts get a clear answer. Staff cannot get a token with a
password: they use the API through their signed-in browser session. Tokens are made by the administrator
for integration accounts (admin → API tokens) and shown once. Guessing is locked out like the login page
(django-axes): 429."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from jobbtorg.accounts.views import locked_out
from jobbtorg.utils.api import validated_input


class PasswordSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=200, trim_whitespace=False)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


NO_TOKENS_FOR_STAFF = _(
    "Staff cannot get an API token with a password. Use the API through your signed-in browser session; "
    "integrations get a token from the administrator."
)


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Refuses password sign-in for API tokens (tokens come from the administrator)",
        description="Tokens are for integration accounts: the administrator makes them, with scopes and an "
        "expiry, and they are shown once. Send them as `Authorization: Bearer <token>`. Staff use the "
        "API through their browser session. Wrong passwords count towards the lockout of the login page: "
        "429 when locked.",
        request=PasswordSerializer,
        responses={
            400: OpenApiResponse(description="Wrong username or password"),
            403: OpenApiResponse(DetailSerializer, description="Correct password: staff get no token"),
            429: OpenApiResponse(DetailSerializer, description="Too many failed attempts"),
        },
        auth=[],
    )
    def post(self, request):
        data = validated_input(request, PasswordSerializer)
        http_request = request._request
        user = authenticate(request=http_request, username=data["username"], password=data["password"])
        if getattr(http_request, "axes_locked_out", False):
            return locked_out(http_request)
        if user is None:
            return Response(
                {"non_field_errors": [_("Wrong username or password.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response({"detail": NO_TOKENS_FOR_STAFF}, status=status.HTTP_403_FORBIDDEN)
