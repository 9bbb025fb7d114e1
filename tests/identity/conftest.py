import pytest

from .op import oidc_settings, running_op


@pytest.fixture(scope="session")
def op_issuer():
    with running_op(["http://testserver"]) as issuer:
        yield issuer


@pytest.fixture
def oidc(settings, op_issuer):
    settings.JOBBTORG_OIDC = oidc_settings(op_issuer)
    return op_issuer
