"""Keep the precomputed vacancy tables fresh (vacancy_table.py, ADR 0013): every saved or deleted vacancy or
vacancy skill raises its municipality's stamp in the writer's transaction. Writes that send no signal (a
queryset update, a bulk load) call `vacancy_table.vacancies_changed` / `all_vacancies_changed` themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .models import Employer, Vacancy, VacancySkill
from .vacancy_table import municipality_of_vacancy, vacancies_changed


def _vacancy(sender, instance, **kwargs) -> None:
    employer = instance._state.fields_cache.get("employer")
    if employer is not None and employer.pk == instance.employer_id:
        municipality_id = employer.municipality_id
    else:
        municipality_id = (
            Employer.objects.filter(pk=instance.employer_id).values_list("municipality_id", flat=True).first()
        )
    vacancies_changed(municipality_id=municipality_id, vacancy_ids=[instance.pk])


def _vacancy_skill(sender, instance, **kwargs) -> None:
    # While a vacancy is deleted its skills go first; the vacancy's own signal records it.
    vacancies_changed(
        municipality_id=municipality_of_vacancy(instance.vacancy_id), vacancy_ids=[instance.vacancy_id]
    )


def connect() -> None:
    post_save.connect(_vacancy, sender=Vacancy, dispatch_uid="matching_table_vacancy_save")
    post_delete.connect(_vacancy, sender=Vacancy, dispatch_uid="matching_table_vacancy_delete")
    post_save.connect(_vacancy_skill, sender=VacancySkill, dispatch_uid="matching_table_skill_save")
    post_delete.connect(_vacancy_skill, sender=VacancySkill, dispatch_uid="matching_table_skill_delete")
