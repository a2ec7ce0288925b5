"""Login throttling (accounts/throttling.py on django-axes), through the real login form from
several client addresses: per username from any address, per address for any username, and no
way for a stranger to lock a learner out of the browser they use."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from accounts.throttling import KNOWN_DEVICE_COOKIE
from tests import factories

LIMIT = settings.AXES_FAILURE_LIMIT
PROXY = override_settings(AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"))


def log_in(username, password=factories.PASSWORD, *, ip="81.2.69.1", client=None, **headers):
    """Post the login form from `ip` (a new browser unless `client` is given)."""
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_guesses_from_many_addresses_are_limited_per_username(learner):
    codes = [log_in("learner", f"guess{i}", ip=f"81.2.69.{i}").status_code for i in range(20)]
    assert codes == [200] * (LIMIT - 1) + [429] * (20 - LIMIT + 1)
    # Nor does the right password get through from yet another address and a new browser.
    assert log_in("learner", ip="81.2.69.200").status_code == 429


def test_spraying_many_usernames_from_one_address_is_limited(learner, teammate):
    for i in range(LIMIT):
        log_in(f"someone{i}", "password1", ip="81.2.69.7")
    assert log_in("learner", ip="81.2.69.7").status_code == 429
    assert log_in("learner", ip="81.2.69.8").status_code == 302  # another address is not paused


def test_a_stranger_cannot_lock_a_learner_out_of_the_browser_they_log_in_with(learner):
    own_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert log_in("learner", client=own_browser, ip="81.2.69.1").status_code == 302
    assert KNOWN_DEVICE_COOKIE in own_browser.cookies
    own_browser.post(reverse("logout"))
    for i in range(LIMIT + 3):
        log_in("learner", "wrong", ip=f"5.6.7.{i}")
    assert log_in("learner", ip="5.6.7.99").status_code == 429  # the stranger's new browser
    # The learner's own browser, even from another address (a café): in, with the right password.
    assert log_in("learner", client=own_browser, ip="81.2.69.50").status_code == 302


def test_a_known_browser_still_counts_its_own_wrong_passwords(learner):
    own_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    log_in("learner", client=own_browser)
    own_browser.post(reverse("logout"))
    for _ in range(LIMIT):
        log_in("learner", "wrong", client=own_browser)
    assert log_in("learner", client=own_browser).status_code == 429


def test_a_forged_known_device_cookie_counts_for_nothing(learner):
    for i in range(LIMIT):
        log_in("learner", "wrong", ip=f"5.6.7.{i}")
    forger = Client(HTTP_ACCEPT_LANGUAGE="en")
    forger.cookies[KNOWN_DEVICE_COOKIE] = "learner"
    assert log_in("learner", client=forger, ip="5.6.7.99").status_code == 429


def test_a_password_reset_by_email_lifts_the_lockout_and_remembers_the_browser(learner):
    for i in range(LIMIT):
        log_in("learner", "wrong", ip=f"5.6.7.{i}")
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert log_in("learner", client=browser).status_code == 429
    browser.post(reverse("password_reset"), {"email": learner.email}, REMOTE_ADDR="81.2.69.1")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = browser.get(link, follow=True)
    new = "reset-long-passphrase-3"
    browser.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    for i in range(LIMIT):  # the stranger goes on
        log_in("learner", "wrong", ip=f"5.6.8.{i}")
    assert log_in("learner", new, client=browser).status_code == 302


def test_logging_in_to_ones_own_account_does_not_buy_more_guesses_at_others(learner):
    attacker = factories.make_user("attacker")
    for i in range(LIMIT - 1):
        log_in(f"someone{i}", "password1", ip="81.2.69.7")
    assert log_in(attacker.username, ip="81.2.69.7").status_code == 302
    assert log_in("learner", "guess", ip="81.2.69.7").status_code == 429


@PROXY
def test_behind_a_proxy_each_client_address_counts_separately(learner, teammate):
    for i in range(LIMIT):
        log_in(f"someone{i}", "x", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.7")
    assert log_in("learner", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.7").status_code == 429
    # Another client behind the same load balancer is not paused.
    assert log_in("learner", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.8").status_code == 302


@PROXY
def test_behind_a_proxy_an_address_the_client_prepends_is_ignored(learner):
    for i in range(LIMIT):
        log_in(f"someone{i}", "x", ip="10.0.0.1", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}, 81.2.69.7")
    assert log_in("learner", ip="10.0.0.1", HTTP_X_FORWARDED_FOR="81.2.69.7").status_code == 429


def test_without_a_proxy_the_header_is_not_believed(learner):
    for i in range(LIMIT):
        log_in(f"someone{i}", "x", ip="81.2.69.7", HTTP_X_FORWARDED_FOR=f"9.9.9.{i}")
    assert log_in("learner", ip="81.2.69.7", HTTP_X_FORWARDED_FOR="9.9.9.200").status_code == 429


@pytest.mark.parametrize(("behind_proxy", "trusts_header"), [("1", True), ("", False)])
def test_the_proxy_header_is_read_only_when_behind_proxy_is_set(
    monkeypatch, behind_proxy, trusts_header
):
    import importlib

    import config.settings

    monkeypatch.setenv("BEHIND_PROXY", behind_proxy)
    try:
        order = importlib.reload(config.settings).AXES_IPWARE_META_PRECEDENCE_ORDER
    finally:
        monkeypatch.undo()
        importlib.reload(config.settings)
    assert ("HTTP_X_FORWARDED_FOR" in order) is trusts_header and order[-1] == "REMOTE_ADDR"
