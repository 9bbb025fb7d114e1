from jobbtorg.interventions.models import InterventionType

from ..factories import UserFactory

URL = "/api/intervention-types/"


def test_catalogue_lists_active_types_to_anyone_logged_in(api_client, db):
    InterventionType.objects.filter(code="sfi_test").update(active=False)
    api_client.force_authenticate(UserFactory(analyst=True))
    response = api_client.get(URL)
    assert response.status_code == 200
    codes = [t["code"] for t in response.data]
    assert "sfi_studies" in codes and "supported_employment" in codes and "sfi_test" not in codes
    assert len(codes) == InterventionType.objects.filter(active=True).count()


def test_catalogue_needs_a_login(api_client, db):
    assert api_client.get(URL).status_code in (401, 403)
