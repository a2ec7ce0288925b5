import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Invite
from tests import factories


@pytest.fixture
def superuser(db):
    return factories.make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def invite(cohort, team, operator):
    """A one-person invite into `team` of `cohort`."""
    return Invite.objects.create(cohort=cohort, team=team, created_by=operator)


@pytest.fixture
def form_login(client):
    """`form_login(username, password)` posts the real login form (so django-axes sees it)."""

    def _login(username: str, password: str = factories.PASSWORD):
        return client.post("/accounts/login/", {"username": username, "password": password})

    return _login


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English msgids: compiled Korean catalogs must not change them. Tests
    of the Korean pages ask for Korean explicitly."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")
