"""Helpers to build the facts the payment rules read: an authorised provider with a compensation model, a
participant assigned to it with a tier, exits and assistance months."""

import datetime as dt
from decimal import Decimal

from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.interventions.models import InterventionType
from jobbtorg.payments.models import ModelAssignment
from jobbtorg.providers.models import Application, Assignment, Authorisation
from tests.factories import MappingFactory, ProviderFactory, ReferralFactory, UserFactory


def authorised_provider(*, model, itype_code="individual_coaching", valid_from=dt.date(2020, 1, 1)):
    itype = InterventionType.objects.get(code=itype_code)
    provider = ProviderFactory(municipality=model.municipality)
    staff = UserFactory(role="provider_staff", provider=provider)
    application = Application.objects.create(
        provider=provider, intervention_type=itype, submitted_by=staff, status="approved"
    )
    authorisation = Authorisation.objects.create(
        provider=provider, intervention_type=itype, application=application, valid_from=valid_from
    )
    ModelAssignment.objects.create(authorisation=authorisation, model=model)
    return provider, staff, itype


def assigned_person(*, provider, itype, start, end=None, tier="B", district=None):
    kwargs = {"participant__district": district, "district": district} if district else {}
    referral = ReferralFactory(accepted=True, referral_date=start - dt.timedelta(days=3), **kwargs)
    MappingFactory(referral=referral, participant=referral.participant, tier=tier)
    Assignment.objects.create(
        participant=referral.participant,
        referral=referral,
        provider=provider,
        intervention_type=itype,
        source="participant_choice",
        created_by=referral.caseworker,
        start_date=start,
        end_date=end,
    )
    return referral


def work_exit(
    referral,
    provider,
    *,
    exit_date,
    hours=40,
    form="permanent",
    subsidised=False,
    evidence="AG-intyg 1",
    **kw,
):
    return Exit.objects.create(
        referral=referral,
        participant=referral.participant,
        exit_date=exit_date,
        reason=kw.pop("reason", "work"),
        work_hours_per_week=hours,
        employment_form=form,
        subsidised=subsidised,
        work_start_date=kw.pop("work_start_date", exit_date),
        evidence=evidence,
        provider=provider,
        **kw,
    )


def import_months(*months, paid_for=()):
    """Mark months as imported; `paid_for` = [(participant, month, amount)] rows with assistance paid."""
    batches = {}
    for month in months:
        batches[month] = AssistanceImport.objects.create(source="file", month=month)
    for participant, month, amount in paid_for:
        AssistanceMonth.objects.create(
            participant=participant, month=month, amount=Decimal(amount), paid=True, batch=batches.get(month)
        )
