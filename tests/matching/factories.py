import itertools

import factory

from jobbtorg.matching.models import Employer, Vacancy
from tests.factories import MunicipalityFactory, make_organisation_number

_serials = itertools.count(500)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    municipality = factory.SubFactory(MunicipalityFactory)
    organisation_number = factory.LazyFunction(lambda: make_organisation_number(next(_serials)))
    name = factory.Sequence(lambda n: f"Arbetsgivare {n} AB")
    postal_code = "16364"
    city = "Spånga"


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = "Undersköterska hemtjänst"
    occupation_id = "5321"
    swedish_level = "sfi_c"
    hours_per_week = 40
    postal_code = "16364"
    city = "Spånga"
