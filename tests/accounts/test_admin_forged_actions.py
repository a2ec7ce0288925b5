"""Forged admin action posts get a 400 or a message, never a 500."""

import pytest
from django.contrib import admin


def _changelists():
    return [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("url", _changelists())
@pytest.mark.parametrize("selected", ["", "x", "-1", "9" * 30])
def test_a_forged_selection_is_not_a_server_error(client, superuser, url, selected):
    client.force_login(superuser)
    response = client.post(url, {"action": "delete_selected", "_selected_action": [selected]})
    assert response.status_code < 500
