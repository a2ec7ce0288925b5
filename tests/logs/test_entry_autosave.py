"""The editor's autosave endpoint: drafts on the server, for their author alone."""

import pytest
from django.test import Client

from logs import markdown
from logs.models import Autosave
from tests import factories
from tests.logs.entry_helpers import editor_post


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(learner, cohort)


def save(client, key, **fields):
    return client.post("/drafts/save/", {"autosave_key": key, **fields})


def test_it_saves_a_draft_of_a_new_log(login, learner, cohort):
    key = f"new:{cohort.pk}:daily:2022-02-10"
    response = save(login(learner), key, body="쓰는 중인 글", title="제목", tags="a, b", version="")
    assert response.status_code == 200
    assert response.json()["saved_at"]
    draft = Autosave.objects.get(author=learner, key=key)
    assert draft.data["body"] == "쓰는 중인 글"
    assert draft.data["tags"] == "a, b"
    assert draft.base_version is None


def test_saving_again_replaces_the_draft(login, learner, entry):
    client = login(learner)
    save(client, f"entry:{entry.pk}", body="하나", version="1")
    save(client, f"entry:{entry.pk}", body="둘", version="1")
    draft = Autosave.objects.get()
    assert (draft.data["body"], draft.entry, draft.base_version) == ("둘", entry, 1)


def test_the_new_draft_is_offered_when_the_editor_opens_again(login, learner, cohort):
    client = login(learner)
    save(client, f"new:{cohort.pk}:daily:2022-02-10", body="닫기 전에 쓴 글")
    url = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"
    response = client.get(url)
    assert response.context["draft_offer"].data["body"] == "닫기 전에 쓴 글"
    restored = client.get(url + "&restore=1")
    assert restored.context["form"]["body"].value() == "닫기 전에 쓴 글"


def test_a_draft_can_be_discarded(login, learner, entry):
    client = login(learner)
    save(client, f"entry:{entry.pk}", body="버릴 글")
    response = client.post(
        "/drafts/discard/",
        {"autosave_key": f"entry:{entry.pk}", "next": f"/entries/{entry.pk}/edit/"},
    )
    assert response["Location"] == f"/entries/{entry.pk}/edit/"
    assert not Autosave.objects.exists()


def test_discard_does_not_redirect_off_site(login, learner):
    response = login(learner).post(
        "/drafts/discard/", {"autosave_key": "x", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("persona", ["teammate", "mentor", "operator", "outsider"])
def test_nobody_else_can_autosave_into_someone_elses_entry(login, request, persona, entry):
    response = save(login(request.getfixturevalue(persona)), f"entry:{entry.pk}", body="침입")
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_drafts_are_kept_per_author(login, learner, teammate, cohort):
    key = f"new:{cohort.pk}:daily:2022-02-10"
    save(login(learner), key, body="내 글")
    save(login(teammate), key, body="동료의 글")
    assert Autosave.objects.get(author=learner).data["body"] == "내 글"
    url = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"
    assert login(teammate).get(url).context["draft_offer"].data["body"] == "동료의 글"


@pytest.mark.parametrize(
    "key", ["", "entry:abc", "new:1:daily:2022-02-30", "new:999:daily:2022-02-10", "other:1"]
)
def test_it_refuses_keys_that_name_nothing_the_user_writes(login, learner, cohort, key):
    assert save(login(learner), key, body="x").status_code == 403


def test_a_mentor_may_autosave_a_note_but_not_a_daily_log(login, mentor, cohort):
    client = login(mentor)
    assert save(client, f"new:{cohort.pk}:note:2022-02-10", body="x").status_code == 200
    assert save(client, f"new:{cohort.pk}:daily:2022-02-10", body="x").status_code == 403


def test_an_expired_session_gets_401_with_the_login_url_not_a_redirect(client, cohort):
    response = save(client, f"new:{cohort.pk}:daily:2022-02-10", body="x")
    assert response.status_code == 401
    assert response.json()["login_url"] == "/accounts/login/"


def test_a_body_over_the_limit_is_refused_clearly(login, learner, cohort):
    body = "a" * (markdown.MAX_BODY_BYTES + 1)
    response = save(login(learner), f"new:{cohort.pk}:daily:2022-02-10", body=body)
    assert response.status_code == 413
    assert "KB" in response.json()["error"]
    assert not Autosave.objects.exists()


def test_autosave_needs_post_and_csrf(learner, cohort):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get("/drafts/save/").status_code == 405
    assert save(client, f"new:{cohort.pk}:daily:2022-02-10", body="x").status_code == 403
    assert not Autosave.objects.exists()


# --- Several tabs and devices: each editor keeps its own draft ---------------------------------


def _open_editor(learner, entry):
    """A device (its own browser) opening the entry's editor: (client, its editor id)."""
    device = Client(HTTP_ACCEPT_LANGUAGE="en")
    device.force_login(learner)
    response = device.get(f"/entries/{entry.pk}/edit/")
    assert response.status_code == 200
    editor_id = response.context["draft_device"]
    assert f'name="draft_device" value="{editor_id}"' in response.content.decode()
    return device, editor_id


def _autosave(device, editor_id, entry, body):
    return save(device, f"entry:{entry.pk}", body=body, version="1", draft_device=editor_id)


def test_a_save_from_a_device_opened_earlier_keeps_a_newer_draft_from_another(learner, entry):
    laptop, laptop_id = _open_editor(learner, entry)
    phone, phone_id = _open_editor(learner, entry)
    _autosave(phone, phone_id, entry, "폰에서 쓴 초안")
    saved = laptop.post(
        f"/entries/{entry.pk}/edit/", editor_post(entry, body="노트북 글", draft_device=laptop_id)
    )
    assert saved.status_code == 302
    offer = laptop.get(f"/entries/{entry.pk}/edit/").context["draft_offer"]
    assert (offer.data["body"], offer.device, offer.base_version) == ("폰에서 쓴 초안", phone_id, 1)


def test_two_devices_autosaving_do_not_overwrite_each_other(learner, entry):
    laptop, laptop_id = _open_editor(learner, entry)
    phone, phone_id = _open_editor(learner, entry)
    assert _autosave(laptop, laptop_id, entry, "노트북 초안").status_code == 200
    assert _autosave(phone, phone_id, entry, "폰 초안").status_code == 200
    drafts = Autosave.objects.filter(author=learner, key=f"entry:{entry.pk}")
    assert sorted(d.data["body"] for d in drafts) == ["노트북 초안", "폰 초안"]
    # The newest is offered; the other can be restored by name.
    url = f"/entries/{entry.pk}/edit/"
    assert laptop.get(url).context["draft_offer"].data["body"] == "폰 초안"
    restored = laptop.get(f"{url}?restore=1&draft_device={laptop_id}")
    assert restored.context["form"]["body"].value() == "노트북 초안"
    # The restoring editor carries that draft on: its save clears it, not the phone's.
    assert restored.context["draft_device"] == laptop_id


def test_an_autosave_arriving_after_its_editors_save_brings_back_no_offer(learner, entry):
    laptop, laptop_id = _open_editor(learner, entry)
    _autosave(laptop, laptop_id, entry, "저장 직전 초안")
    saved = laptop.post(
        f"/entries/{entry.pk}/edit/", editor_post(entry, body="저장한 글", draft_device=laptop_id)
    )
    assert saved.status_code == 302
    # Sent just before the save, it arrives just after: it is turned away.
    late = _autosave(laptop, laptop_id, entry, "저장 직전 초안")
    assert late.status_code == 200 and late.json()["saved_at"] is None
    assert laptop.get(f"/entries/{entry.pk}/edit/").context["draft_offer"] is None


def test_a_late_autosave_of_a_new_log_brings_back_no_offer(login, learner, cohort):
    client = login(learner)
    url = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"
    editor_id = client.get(url).context["draft_device"]
    key = f"new:{cohort.pk}:daily:2022-02-10"
    save(client, key, body="쓰는 중", draft_device=editor_id)
    post = editor_post(body="쓴 글", learning_date="2022-02-10", draft_device=editor_id)
    assert client.post(url, post).status_code == 302
    save(client, key, body="쓰는 중", draft_device=editor_id)
    assert not Autosave.objects.filter(author=learner, key=key, saved=False).exists()


def test_an_editor_id_that_camplog_never_gives_is_refused(login, learner, entry):
    response = save(login(learner), f"entry:{entry.pk}", body="x", draft_device="<bad id>")
    assert response.status_code == 400
    assert not Autosave.objects.exists()


@pytest.mark.parametrize("version", ["²", "9" * 30])
def test_an_unreadable_version_is_kept_as_none_not_a_500(login, learner, entry, version):
    response = save(login(learner), f"entry:{entry.pk}", body="초안", version=version)
    assert response.status_code == 200
    assert Autosave.objects.get().base_version is None
