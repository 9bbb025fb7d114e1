"""Admin for the employer register (audited). Matches carry personal data and their history: read-only here;
they change only through the match flow (matching.services)."""

from django.contrib import admin

from jobbtorg.audit.admin import AuditedAdminMixin, ReadOnlyAdmin

from .models import (
    Employer,
    EmployerAgreement,
    EmployerContact,
    Match,
    RecruitmentEvent,
    Vacancy,
    VacancySkill,
)


class ContactInline(admin.TabularInline):
    model = EmployerContact
    extra = 0


class AgreementInline(admin.TabularInline):
    model = EmployerAgreement
    extra = 0


@admin.register(Employer)
class EmployerAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organisation_number", "sector", "is_city", "city")
    list_filter = ("sector", "is_city")
    search_fields = ("name", "organisation_number")
    inlines = [ContactInline, AgreementInline]


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    extra = 0
    raw_id_fields = ("skill",)


@admin.register(Vacancy)
class VacancyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "employer", "kind", "occupation", "status", "deadline")
    list_filter = ("status", "kind")
    search_fields = ("title", "employer__name")
    raw_id_fields = ("occupation", "employer", "created_by")
    inlines = [VacancySkillInline]


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("participant_id", "vacancy", "status", "score", "proposed_at")
    list_filter = ("status",)


@admin.register(RecruitmentEvent)
class RecruitmentEventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "employer", "date", "status")
    raw_id_fields = ("employer",)
    filter_horizontal = ("vacancies",)
