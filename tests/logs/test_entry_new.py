"""Writing a new entry: the editor's starting text, and every way a save can go wrong."""

import datetime as dt

import pytest

from logs import markdown
from logs.models import Entry
from tests import factories
from tests.logs.entry_helpers import SEED_DAY, editor_post

NEW = "/entries/new/?kind=daily&date=2022-02-09&cohort=ai-tech-3"


def test_it_sends_anonymous_visitors_to_the_login(client, cohort):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["outsider", "foreign_operator", "operator"])
def test_people_who_do_not_write_in_the_cohort_get_404(login, request, persona, cohort):
    response = login(request.getfixturevalue(persona)).get(NEW)
    assert response.status_code == 404


def test_a_mentor_may_write_notes_but_not_daily_logs(login, mentor, cohort):
    client = login(mentor)
    assert client.get(NEW).status_code == 403
    assert client.get(NEW.replace("kind=daily", "kind=note")).status_code == 200


def test_it_starts_from_the_template_with_the_calendar_title(login, learner, cohort):
    response = login(learner).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "[Week 04 / Day 015] 학습 기록"
    body = form["body"].value()
    for section in (
        "📝 오늘 한 일",
        "👥 피어세션 요약",
        "🏫 멘토링 요약",
        "🐾 일일 회고",
        "🚀 내일 할 일",
    ):
        assert section in body
    assert form["learning_date"].value() == "2022-02-09"


def test_it_carries_over_yesterdays_open_tasks(login, learner, cohort):
    factories.make_entry(
        learner,
        cohort,
        learning_date=dt.date(2022, 2, 8),
        body="## 🚀 내일 할 일\n- [ ] 강의 수강\n    - [Data Viz] 5강\n- [x] 끝난 일\n",
    )
    body = login(learner).get(NEW).context["form"]["body"].value()
    today = body.split("👥")[0]
    assert "- [ ] 강의 수강\n    - [Data Viz] 5강" in today
    assert "끝난 일" not in body


def test_it_does_not_carry_over_a_teammates_tasks(login, learner, teammate, cohort):
    factories.make_entry(
        teammate, cohort, learning_date=dt.date(2022, 2, 8), body="## 내일 할 일\n- [ ] 남의 일\n"
    )
    assert "남의 일" not in login(learner).get(NEW).context["form"]["body"].value()


def test_a_weekly_log_starts_from_the_weekly_template(login, learner, cohort):
    response = login(learner).get(NEW.replace("kind=daily", "kind=weekly"))
    assert response.context["form"]["title"].value() == "[Week 04] 주간 회고"
    assert "주간 회고" in response.context["form"]["body"].value()


def test_it_opens_the_existing_log_instead_of_a_second_one(login, learner, cohort):
    entry = factories.make_entry(learner, cohort)
    response = login(learner).get(NEW)
    assert response["Location"] == f"/entries/{entry.pk}/edit/"


def test_an_unknown_kind_is_a_bad_request(login, learner, cohort):
    assert login(learner).get(NEW.replace("kind=daily", "kind=poem")).status_code == 400


def test_an_impossible_date_in_the_address_falls_back_to_today(login, learner, cohort):
    response = login(learner).get(NEW.replace("2022-02-09", "2022-02-30"), follow=True)
    assert response.status_code == 200
    assert any("date" in str(m) or "날짜" in str(m) for m in response.context["messages"])


def test_saving_creates_the_entry_with_tags_and_goes_to_it(login, learner, cohort):
    response = login(learner).post(
        NEW, editor_post(tags="부스트캠프AITech, week04, 부스트캠프AITech")
    )
    entry = Entry.objects.get(author=learner)
    assert response.status_code == 302
    assert response["Location"] == f"/entries/{entry.pk}/"
    assert entry.title == "[Week 04 / Day 015] 학습 기록"  # empty title: the calendar's
    assert (entry.week, entry.day_number, entry.version) == (4, 15, 1)
    assert sorted(t.name for t in entry.tags.all()) == ["week04", "부스트캠프AITech"]
    assert entry.tags.get(name="부스트캠프AITech").slug == "부스트캠프aitech"


def test_saving_deletes_the_autosaved_draft(login, learner, cohort):
    client = login(learner)
    key = f"new:{cohort.pk}:daily:2022-02-09"
    client.post("/drafts/save/", {"autosave_key": key, "body": "초안"})
    client.post(NEW, editor_post())
    assert not learner.autosaves.filter(saved=False).exists()


def assert_kept(response, body: str):
    """The form came back with an error, and the text is exactly what was typed."""
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["form"]["body"].value() == body
    assert not Entry.objects.exists()


BODY = "## 오늘 한 일\n- [x] 강의 수강 😀\n\n$$\\frac{1}{2}$$\n<script>alert(1)</script>\n"


def test_a_second_daily_log_for_the_same_day_is_refused_with_the_text_kept(login, learner, cohort):
    existing = factories.make_entry(learner, cohort)
    response = login(learner).post(
        "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3",
        editor_post(body=BODY, learning_date="2022-02-09"),
    )
    assert response.status_code == 200
    assert response.context["form"]["body"].value() == BODY
    assert "learning_date" in response.context["form"].errors
    assert Entry.objects.get() == existing


def test_an_invalid_date_is_refused_with_the_text_kept(login, learner, cohort):
    assert_kept(login(learner).post(NEW, editor_post(body=BODY, learning_date="2022-02-30")), BODY)


def test_a_date_outside_the_cohort_is_refused_with_the_text_kept(login, learner, cohort):
    response = login(learner).post(NEW, editor_post(body=BODY, learning_date="2023-01-02"))
    assert_kept(response, BODY)
    assert "2022-01-17" in str(response.context["form"].errors["learning_date"])


def test_a_body_over_the_limit_is_refused_with_the_text_kept(login, learner, cohort):
    body = "가" * (markdown.MAX_BODY_BYTES // 3 + 10)  # three bytes a syllable
    response = login(learner).post(NEW, editor_post(body=body))
    assert_kept(response, body)
    assert "KB" in str(response.context["form"].errors["body"])


def test_a_note_needs_a_title(login, learner, cohort):
    response = login(learner).post(
        NEW.replace("kind=daily", "kind=note"), editor_post(kind="note", body=BODY)
    )
    assert_kept(response, BODY)
    assert "title" in response.context["form"].errors


def test_too_many_tags_are_refused(login, learner, cohort):
    tags = ", ".join(f"tag{i}" for i in range(30))
    assert_kept(login(learner).post(NEW, editor_post(body=BODY, tags=tags)), BODY)


def test_the_kind_cannot_be_changed_by_the_post(login, mentor, cohort):
    """A mentor's note editor cannot be turned into a daily log by editing the hidden field."""
    response = login(mentor).post(
        NEW.replace("kind=daily", "kind=note"), editor_post(kind="daily", title="노트")
    )
    assert response.status_code == 302
    assert Entry.objects.get().kind == "note"


def test_an_expired_session_leads_through_login_to_a_saved_text(client, learner, cohort):
    """The save of a logged-out editor is kept in the session and replayed after the login."""
    response = client.post(NEW, editor_post(body=BODY, tags="한글태그"))
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/accounts/login/?next=")
    assert not Entry.objects.exists()

    response = client.post(
        "/accounts/login/",
        {"username": "learner", "password": factories.PASSWORD, "next": NEW},
    )
    assert response["Location"] == NEW
    response = client.get(NEW)
    entry = Entry.objects.get()
    assert response["Location"] == f"/entries/{entry.pk}/"
    assert entry.body == BODY
    assert [t.name for t in entry.tags.all()] == ["한글태그"]
    # Replayed once: opening the editor again shows the editor, not a second save.
    assert client.get(NEW)["Location"] == f"/entries/{entry.pk}/edit/"


def test_after_an_expired_session_another_user_cannot_save_the_kept_text_as_theirs(
    client, learner, mentor, cohort
):
    client.post(NEW, editor_post(body=BODY))
    client.force_login(mentor)
    response = client.get(NEW)
    assert response.status_code == 403  # a mentor writes no daily logs
    assert not Entry.objects.exists()


def test_the_default_date_is_today_by_the_calendar(login, learner, cohort, monkeypatch):
    from accounts.calendar import CohortCalendar

    monkeypatch.setattr(CohortCalendar, "today", lambda self, now=None: SEED_DAY)
    response = login(learner).get("/entries/new/?kind=daily&cohort=ai-tech-3")
    assert response.context["form"]["learning_date"].value() == "2022-02-09"


def test_the_new_log_editor_is_pinned_at_its_query_count(
    login, learner, teammate, team, cohort, django_assert_num_queries
):
    """Guards the carry-over (one query for the previous log, whatever the history), the tag
    suggestions (one query), the calendar rows (one query each for holidays and stages) and
    the team's sessions of the day (one query, whatever their number)."""
    client = login(learner)
    url = "/entries/new/?kind=daily&date=2022-02-10&cohort=ai-tech-3"

    def check():
        # the session with its user, the viewer's roles (with the header's cohort and the
        # unread count), the cohort with its calendar, an existing log of the day, the
        # autosave, the previous log's body (to carry its to-do list over), tag suggestions,
        # the team's sessions of the day
        with django_assert_num_queries(8):
            assert client.get(url).status_code == 200

    check()
    for day in (3, 4, 7, 8, 9):
        factories.make_entry(
            learner,
            cohort,
            learning_date=dt.date(2022, 2, day),
            tags=["a", "b"],
            body=f"## 오늘 한 일\n- [ ] 할 일 {day}\n## 내일 할 일\n- [ ] 내일 {day}\n",
        )
        factories.make_entry(teammate, cohort, learning_date=dt.date(2022, 2, day), tags=["c"])
    for kind in ("peer", "mentoring", "peer"):
        factories.make_session(team, kind=kind, title=f"{kind}", date=dt.date(2022, 2, 10))
    check()


def test_the_calendar_title_follows_a_changed_date(login, learner, cohort):
    login(learner).post(
        NEW,
        editor_post(title="[Week 04 / Day 015] 학습 기록", learning_date="2022-02-11"),
    )
    assert Entry.objects.get().title == "[Week 04 / Day 017] 학습 기록"


def test_a_title_of_ones_own_survives_a_changed_date(login, learner, cohort):
    login(learner).post(NEW, editor_post(title="나만의 제목", learning_date="2022-02-11"))
    assert Entry.objects.get().title == "나만의 제목"


def test_a_line_break_in_the_title_becomes_a_space(login, learner, cohort):
    response = login(learner).post(NEW, editor_post(title="오늘의 기록\r\n\r\nBcc: x@example.com"))
    assert response.status_code == 302
    assert Entry.objects.get(author=learner).title == "오늘의 기록 Bcc: x@example.com"
