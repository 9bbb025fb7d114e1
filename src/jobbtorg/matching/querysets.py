"""Who sees what in matching — the scoping rules, one per model.

Employers and vacancies are municipality-wide business data (not personal data): every Jobbtorg staff
member of the municipality may see them; only the matcher role (and unit heads) edit them (permissions in
accounts/roles.py). Matches and recruitment-event attendance are about a person, so they follow the
person's scoping: `Participant.objects.visible_to(user)`.
"""

from django.apps import apps
from django.db import models

from jobbtorg.accounts.selectors import municipality_id_of

from .constants import VacancyStatus


def _staff_municipality_id(user) -> int | None:
    """The municipality whose employers and vacancies the user sees: Jobbtorg staff's (and a superuser's, if
    they have one)."""
    if not (user.is_authenticated and user.is_active and (user.is_unit_staff or user.is_superuser)):
        return None
    return municipality_id_of(user)


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EmployerQuerySet":
        """Unit staff (coach, counsellor, matcher, unit head) see the employers of their municipality."""
        municipality_id = _staff_municipality_id(user)
        return self.filter(municipality_id=municipality_id) if municipality_id else self.none()


def vacancy_municipality_id(user) -> int | None:
    """The municipality whose vacancies the user sees (`Vacancy.objects.visible_to`), None for none: the
    precomputed vacancy tables are kept per municipality (vacancy_table.py)."""
    return _staff_municipality_id(user)


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VacancyQuerySet":
        """Unit staff see the vacancies of their municipality's employers."""
        municipality_id = vacancy_municipality_id(user)
        return self.filter(employer__municipality_id=municipality_id) if municipality_id else self.none()

    def open(self) -> "VacancyQuerySet":
        return self.filter(status=VacancyStatus.OPEN)


class MatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MatchQuerySet":
        """A match is visible to whoever may see the person's record (Participant.visible_to)."""
        Participant = apps.get_model("participants", "Participant")
        return self.filter(participant__in=Participant.objects.visible_to(user).values("pk"))


class MatchEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MatchEventQuerySet":
        """A match's history is visible with the match (`Match.objects.visible_to`)."""
        Match = apps.get_model("matching", "Match")
        return self.filter(match__in=Match.objects.visible_to(user).values("pk"))


class RecruitmentAttendeeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecruitmentAttendeeQuerySet":
        """Who came to a recruitment event is about the person: visible to whoever may see the person's record
        (Participant.visible_to), at the events the user sees."""
        Participant = apps.get_model("participants", "Participant")
        RecruitmentEvent = apps.get_model("matching", "RecruitmentEvent")
        return self.filter(
            participant__in=Participant.objects.visible_to(user).values("pk"),
            event__in=RecruitmentEvent.objects.visible_to(user).values("pk"),
        )


class RecruitmentEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RecruitmentEventQuerySet":
        """Unit staff see the recruitment events of their own unit."""
        if not (user.is_authenticated and user.is_active and user.is_unit_staff):
            return self.none()
        return self.filter(unit_id=user.unit_id)
