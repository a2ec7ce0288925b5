"""The daily routine in the editor: the carry-over notice and its undo, the team's sessions of the
day to link from the summary sections, the one recovery banner, and the draft/publish choice."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import DEFAULT_DAILY_TEMPLATE
from logs.models import Autosave, Entry, Session
from logs.writing import when_typed
from tests import factories
from tests.logs.entry_helpers import editor_post

NEW = "/entries/new/?kind=daily&date=2022-02-09&cohort=ai-tech-3"
PREVIOUS = (
    "## 📝 오늘 한 일\n- [x] 끝낸 일\n- [ ] 강의 수강\n    - [Data Viz] 5강\n"
    "## 🚀 내일 할 일\n- [ ] 강의 수강\n- [ ] 오피스아워\n"
)


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def yesterday(learner, cohort):
    return factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 2, 8), body=PREVIOUS, title="어제의 기록"
    )


def body_of(response) -> str:
    return response.context["form"]["body"].value()


# --- Carry-over -----------------------------------------------------------------------------


def test_the_notice_says_what_came_over_and_from_which_log(login, learner, cohort, yesterday):
    response = login(learner).get(NEW)
    html = response.content.decode()
    notice = html[html.index('id="carry-notice"') :]
    notice = notice[: notice.index("</div>\n  </div>")]
    assert "2 open tasks came over from" in notice
    assert f'<a href="{yesterday.get_absolute_url()}">어제의 기록</a> (2022-02-08)' in notice
    assert "<li>강의 수강</li>" in notice and "<li>오피스아워</li>" in notice
    assert "끝낸 일" not in notice
    # Once each, the sub-item kept with its task.
    today = body_of(response).split("👥")[0]
    assert today.count("강의 수강") == 1
    assert "- [ ] 강의 수강\n    - [Data Viz] 5강\n- [ ] 오피스아워" in today


def test_the_undo_is_a_link_that_starts_from_the_plain_template(login, learner, cohort, yesterday):
    client = login(learner)
    html = client.get(NEW).content.decode()
    undo = re.search(r'id="carry-undo" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "carry=0" in undo
    response = client.get(undo)
    assert body_of(response) == DEFAULT_DAILY_TEMPLATE
    html = response.content.decode()
    assert "open tasks came over" not in html
    assert "were left out" in html
    redo = re.search(r'href="([^"]+)">Carry them over again', html).group(1).replace("&amp;", "&")
    assert "carry=0" not in redo
    assert "강의 수강" in body_of(client.get(redo))


def test_a_restored_draft_shows_no_carry_notice(login, learner, cohort, yesterday):
    client = login(learner)
    key = f"new:{cohort.pk}:daily:2022-02-09"
    client.post("/drafts/save/", {"autosave_key": key, "draft_device": "d1", "body": "초안"})
    response = client.get(NEW + "&restore=1&draft_device=d1")
    assert body_of(response) == "초안"
    assert 'id="carry-notice"' not in response.content.decode()


def test_no_notice_when_nothing_is_open(login, learner, cohort):
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 8))
    html = login(learner).get(NEW).content.decode()
    assert 'id="carry-notice"' not in html


def test_a_missed_day_does_not_lose_the_open_tasks(login, learner, cohort):
    """Day 014 was not written: the tasks come from the log before it, and the notice says so."""
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 7), body=PREVIOUS)
    html = login(learner).get(NEW).content.decode()
    assert "(2022-02-07)" in html


def test_the_edit_page_carries_nothing_over(login, learner, cohort, yesterday):
    entry = factories.make_entry(learner, cohort, body="## 오늘 한 일\n")
    response = login(learner).get(f"/entries/{entry.pk}/edit/")
    assert body_of(response) == "## 오늘 한 일\n"
    assert 'id="carry-notice"' not in response.content.decode()


# --- The team's sessions of the day ---------------------------------------------------------


@pytest.fixture
def day_sessions(team, other_team, cohort):
    peer = factories.make_session(team, title="2월 9일 피어세션")
    mentoring = factories.make_session(team, kind="mentoring", title="멘토링 [3회]")
    lecture = Session.objects.create(
        cohort=cohort, kind="lecture", date=dt.date(2022, 2, 9), title="특강"
    )
    factories.make_session(other_team, title="다른 조의 피어세션")
    factories.make_session(team, title="다음 날 피어세션", date=dt.date(2022, 2, 10))
    return peer, mentoring, lecture


def session_rows(html: str) -> list[str]:
    return re.findall(r'<li class="editor-session">(.*?)</li>', html, re.S)


def test_the_days_sessions_sit_beside_their_summary_sections(login, learner, cohort, day_sessions):
    peer = day_sessions[0]
    html = login(learner).get(NEW).content.decode()
    rows = session_rows(html)
    assert len(rows) == 3
    by_title = {
        title: row for row in rows for title in ("피어세션", "멘토링", "특강") if title in row
    }
    assert "Peer session summary" in by_title["피어세션"]
    assert "Mentoring summary" in by_title["멘토링"]
    assert "What I did today" in by_title["특강"]
    # Without JavaScript: a link to each session. With it: a button that inserts a reference.
    assert f'href="{peer.get_absolute_url()}"' in by_title["피어세션"]
    assert (
        f'data-markdown="- [peer session · 2월 9일 피어세션](http://testserver{peer.get_absolute_url()})"'
        in by_title["피어세션"]
    )
    assert 'data-section="피어세션|Peer session"' in by_title["피어세션"]
    assert r"멘토링 \[3회\]" in by_title["멘토링"]  # brackets escaped inside the link text
    assert "다른 조" not in html and "다음 날" not in html


def test_a_teammate_sees_the_same_sessions_and_an_outsider_cannot_open_the_editor(
    login, teammate, outsider, cohort, day_sessions
):
    assert len(session_rows(login(teammate).get(NEW).content.decode())) == 3
    assert login(outsider).get(NEW).status_code == 404


def test_without_sessions_it_offers_to_write_one(login, learner, cohort):
    html = login(learner).get(NEW).content.decode()
    assert "No session of your team was written for this day yet." in html
    assert "/sessions/new/?date=2022-02-09" in html


def test_notes_and_weekly_logs_show_no_sessions(login, learner, cohort, day_sessions):
    client = login(learner)
    for kind in ("note", "weekly"):
        html = client.get(NEW.replace("kind=daily", f"kind={kind}")).content.decode()
        assert "editor-sessions" not in html


# --- One recovery banner --------------------------------------------------------------------


def test_one_banner_offers_the_autosaved_draft_in_the_cohorts_time(
    login, learner, cohort, monkeypatch
):
    client = login(learner)
    key = f"new:{cohort.pk}:daily:2022-02-09"
    client.post("/drafts/save/", {"autosave_key": key, "draft_device": "d1", "body": "초안"})
    saved = Autosave.objects.get().updated_at
    html = client.get(NEW).content.decode()
    assert html.count('id="recovery-offer"') == 1
    assert 'id="local-offer"' not in html
    seoul = timezone.localtime(saved, dt.timezone(dt.timedelta(hours=9)))
    assert f"You have text from today {seoul:%H:%M} that was never saved." in html
    assert 'data-time-zone="Asia/Seoul"' in html
    assert f'data-server-saved="{int(saved.timestamp())}"' in html


def test_without_a_draft_the_banner_is_hidden_for_the_browsers_copy(login, learner, cohort):
    html = login(learner).get(NEW).content.decode()
    assert re.search(r'id="recovery-offer" role="status" hidden', html)
    assert 'data-server-saved=""' in html


def test_the_time_is_said_the_same_way_for_any_day(cohort):
    now = dt.datetime(2026, 12, 5, 13, 0, tzinfo=dt.UTC)  # 22:00 in Seoul
    tonight = dt.datetime(2026, 12, 5, 12, 14, tzinfo=dt.UTC)
    earlier = dt.datetime(2026, 2, 9, 12, 14, tzinfo=dt.UTC)
    last_year = dt.datetime(2025, 2, 9, 12, 14, tzinfo=dt.UTC)
    from django.utils import translation

    with translation.override("ko"):
        assert when_typed(tonight, cohort, now) == "오늘 21:14"
        assert when_typed(earlier, cohort, now) == "2월 9일 21:14"
        assert when_typed(last_year, cohort, now) == "2025년 2월 9일 21:14"
    # After midnight in Seoul (UTC still the day before), "today" is Seoul's.
    late = dt.datetime(2026, 12, 5, 15, 30, tzinfo=dt.UTC)  # 00:30 on the 6th in Seoul
    with translation.override("ko"):
        assert when_typed(late, cohort, late) == "오늘 00:30"
        assert when_typed(tonight, cohort, late) == "12월 5일 21:14"


# --- Draft or publish -----------------------------------------------------------------------


def test_a_new_log_starts_as_a_draft_with_two_buttons(login, learner, cohort):
    html = login(learner).get(NEW).content.decode()
    assert '<input type="hidden" name="status" value="draft">' in html
    assert html.count('name="status" value="draft">Save as draft</button>') == 2
    assert html.count('name="status" value="published">Publish</button>') == 2
    assert 'type="radio" name="status"' not in html
    # The draft button comes first: Enter in the title keeps a draft.
    assert html.index('value="draft">Save as draft') < html.index('value="published">Publish')


def test_publish_publishes_and_save_as_draft_keeps_it_to_oneself(login, learner, teammate, cohort):
    client = login(learner)
    # The hidden field first, then the button that was pressed: as a browser posts them.
    client.post(NEW, {**editor_post(), "status": ["draft", "published"]})
    entry = Entry.objects.get()
    assert entry.status == "published"
    client.post(
        f"/entries/{entry.pk}/edit/",
        {**editor_post(entry), "status": ["published", "draft"]},
    )
    entry.refresh_from_db()
    assert entry.status == "draft"
    assert login(teammate).get(entry.get_absolute_url()).status_code == 404


def test_ctrl_s_keeps_the_status_the_editor_shows(login, learner, cohort):
    """A submit without a button (Ctrl+S) sends the hidden field alone: a new log stays a draft."""
    login(learner).post(NEW, {**editor_post(), "status": "draft"})
    assert Entry.objects.get().status == "draft"


def test_an_edited_published_log_keeps_published_as_its_default(login, learner, cohort):
    entry = factories.make_entry(learner, cohort)
    html = login(learner).get(f"/entries/{entry.pk}/edit/").content.decode()
    assert '<input type="hidden" name="status" value="published">' in html
    assert "Saving it as a draft takes it back to you alone." in html


def test_the_entry_page_marks_a_draft(login, learner, cohort):
    entry = factories.make_entry(learner, cohort, status="draft")
    html = login(learner).get(entry.get_absolute_url()).content.decode()
    header = html[html.index('class="entry-header"') : html.index("entry-actions")]
    assert '<span class="badge badge-draft">Draft</span>' in header


def test_an_imported_post_without_published_false_is_still_published():
    """The model's default is the importer's (`published: false` means a draft); the editor's
    is explicit (`NEW_ENTRY_STATUS`)."""
    from logs.views.entries import NEW_ENTRY_STATUS

    assert Entry._meta.get_field("status").default == "published"
    assert NEW_ENTRY_STATUS == "draft"


# --- Titles outside the cohort --------------------------------------------------------------


def test_a_date_outside_the_cohort_is_named_plainly(login, learner, mentor, cohort):
    """Not "Week 255": a log or note dated a year after the cohort is named by its date."""
    response = login(learner).get(NEW.replace("2022-02-09", "2023-03-01"))
    assert response.context["form"]["title"].value() == "2023-03-01 학습 기록"
    html = response.content.decode()
    assert '<p class="page-subtitle">2023-03-01</p>' in html
    assert "Week 5" not in html and "Week 6" not in html
    note = login(mentor).get("/entries/new/?kind=note&date=2023-03-01&cohort=ai-tech-3")
    assert '<p class="page-subtitle">2023-03-01</p>' in note.content.decode()
    weekly = login(learner).get("/entries/new/?kind=weekly&date=2023-03-01&cohort=ai-tech-3")
    assert weekly.context["form"]["title"].value() == "2023-02-27 주간 회고"
