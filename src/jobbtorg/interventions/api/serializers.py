from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jobbtorg.accounts.models import Municipality, Unit
from jobbtorg.participants.api.serializers import ParticipantSummarySerializer
from jobbtorg.participants.constants import TargetGroup
from jobbtorg.providers.models import Provider
from jobbtorg.utils.api import BoundedDateField

from ..constants import DeliveredBy
from ..models import Booking, InterventionType, Offering

MAX_ID = 2**63 - 1


class InterventionTypeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text="The name in the request's language.")

    class Meta:
        model = InterventionType
        fields = [
            "code",
            "name",
            "name_en",
            "display_name",
            "description",
            "category",
            "is_sfi_related",
            "is_work_training",
            "is_internship",
            "is_matching",
        ]
        read_only_fields = fields


# --- offerings (issue 3) ------------------------------------------------------------------------------------


class OfferingSerializer(serializers.ModelSerializer):
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    free_places = serializers.IntegerField(read_only=True)
    waitlist_length = serializers.SerializerMethodField(help_text=_("People on the waiting list."))

    class Meta:
        model = Offering
        fields = [
            "id",
            "name",
            "intervention_type",
            "delivered_by",
            "provider",
            "provider_name",
            "unit",
            "unit_name",
            "city_unit_name",
            "place",
            "start_date",
            "end_date",
            "hours_per_week",
            "capacity",
            "booked_count",
            "free_places",
            "waitlist_length",
            "languages",
            "target_groups",
            "contact",
            "active",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_waitlist_length(self, obj) -> int:
        value = getattr(obj, "waitlist_length", None)
        if value is None:
            value = obj.bookings.filter(status="waitlisted").count()
        return value


class OfferingFilterSerializer(serializers.Serializer):
    intervention_type = serializers.SlugField(
        required=False, max_length=50, help_text=_("Intervention type code.")
    )
    provider = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Provider id.")
    )
    has_free_places = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("true: only open offerings with a free place."),
    )


class OfferingCreateSerializer(serializers.Serializer):
    intervention_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=InterventionType.objects.all(),
        help_text=_("The intervention type's code."),
    )
    name = serializers.CharField(max_length=150)
    delivered_by = serializers.ChoiceField(choices=DeliveredBy.choices)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The Jobbtorg unit (delivered by the Jobbtorg); a unit head's own by default."),
    )
    provider = serializers.PrimaryKeyRelatedField(
        queryset=Provider.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The provider (delivered by a provider)."),
    )
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Defaults to the deliverer's municipality."),
    )
    city_unit_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = BoundedDateField()
    end_date = BoundedDateField(required=False, allow_null=True)
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=40)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices),
        required=False,
        max_length=len(TargetGroup),
    )
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, default=True)

    def validate(self, attrs):
        if attrs.get("end_date") and attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError(
                {"end_date": _("The end date must not be before the start date.")}
            )
        return attrs


# --- bookings (issue 3) -------------------------------------------------------------------------------------


class OfferingRefSerializer(serializers.ModelSerializer):
    intervention_type = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Offering
        fields = ["id", "name", "intervention_type", "provider"]
        read_only_fields = fields


class BookingSerializer(serializers.ModelSerializer):
    offering = OfferingRefSerializer(read_only=True)
    participant = ParticipantSummarySerializer(read_only=True)
    waitlist_position = serializers.SerializerMethodField(
        help_text=_("1 for the first person waiting; null unless waitlisted.")
    )

    class Meta:
        model = Booking
        fields = [
            "id",
            "offering",
            "participant",
            "referral",
            "plan_activity",
            "status",
            "waitlist_position",
            "start_date",
            "end_date",
            "requested_at",
            "booked_at",
            "cancel_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_waitlist_position(self, obj):
        if hasattr(obj, "position"):  # set for a whole page at once by the list view
            return obj.position
        from ..services import waitlist_position

        return waitlist_position(obj)


class BookingFilterSerializer(serializers.Serializer):
    referral = serializers.UUIDField(required=False, help_text=_("The referral's id."))
    offering = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Offering id.")
    )


class BookingCreateSerializer(serializers.Serializer):
    offering = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The offering's id."))
    referral = serializers.UUIDField(help_text=_("The person's accepted referral (to your unit)."))
    start_date = BoundedDateField(
        required=False, allow_null=True, help_text=_("Default: the offering's start or today.")
    )
    end_date = BoundedDateField(required=False, allow_null=True, help_text=_("Default: the offering's end."))
    plan_activity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The action plan activity the booking fulfils."),
    )
    waitlist = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_("When full: true puts the person on the waiting list, false refuses."),
    )


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class BookingCancelResultSerializer(serializers.Serializer):
    booking = BookingSerializer()
    promoted = serializers.UUIDField(
        allow_null=True, help_text=_("The booking that got the freed place from the waiting list, if any.")
    )
