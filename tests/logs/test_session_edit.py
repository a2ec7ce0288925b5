"""Writing a session: who may, what is saved (attendees, keywords, problems, numbered questions),
what bad input does (a clear message, nothing half-saved) and the edit conflict check."""

import pytest
from django.urls import reverse

from logs.models import MentoringQuestion, Session, SessionProblem
from tests import factories
from tests.logs.session_helpers import TEAM_SESSION_ACCESS


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids: the test client asks for English, Korean being the default."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


NEW_URL = reverse("logs:session_new")


def _formset(prefix, rows=(), initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def _data(host, attendees=(), problems=(), questions=(), **fields):
    data = {
        "kind": "peer",
        "date": "2022-02-09",
        "title": "[Week 04 / Day 015] 피어세션",
        "host": str(host.pk),
        "attendees": [str(a.pk) for a in attendees],
        "summary": "### 키워드 공유\n- attention\n- transformer",
        "tags": "attention, transformer, LSTM",
        "version": "",
        **_formset("problems", problems),
        **_formset("questions", questions),
    }
    data.update(fields)
    return data


# --- Who may write --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    TEAM_SESSION_ACCESS,
)
def test_only_the_team_and_its_mentors_write_its_session(request, login, team, persona, status):
    user = request.getfixturevalue(persona)
    assert login(user).get(f"{NEW_URL}?team={team.pk}&kind=peer").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    TEAM_SESSION_ACCESS,
)
def test_only_the_team_and_its_mentors_edit_its_session(request, login, team, persona, status):
    session = factories.make_session(team)
    user = request.getfixturevalue(persona)
    url = reverse("logs:session_edit", args=[session.pk])
    assert login(user).get(url).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, team):
    session = factories.make_session(team)
    for url in (NEW_URL, reverse("logs:session_edit", args=[session.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_learner_without_parameters_writes_for_their_own_team(login, learner, team):
    html = login(learner).get(NEW_URL).content.decode()
    assert team.name in html


def test_cohort_wide_sessions_are_for_mentors_and_operators(login, cohort, operator, learner):
    url = f"{NEW_URL}?cohort={cohort.slug}&kind=office_hours"
    assert login(learner).get(url).status_code == 403
    response = login(operator).get(url)
    assert response.status_code == 200
    response = login(operator).post(
        url,
        _data(operator, kind="office_hours", title="오피스아워"),
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.team is None and session.kind == "office_hours"


def test_the_new_session_form_starts_from_the_calendar_title(login, learner, team):
    html = (
        login(learner).get(f"{NEW_URL}?team={team.pk}&kind=peer&date=2022-02-09").content.decode()
    )
    assert "[Week 04 / Day 015]" in html


def test_it_warns_when_the_team_already_has_that_session(login, learner, teammate, team):
    existing = factories.make_session(team, title="이미 있는 피어세션")
    html = (
        login(teammate).get(f"{NEW_URL}?team={team.pk}&kind=peer&date=2022-02-09").content.decode()
    )
    assert existing.get_absolute_url() in html


# --- What is saved --------------------------------------------------------------------------


def test_a_learner_writes_the_teams_peer_session(login, learner, teammate, team):
    response = login(learner).post(
        f"{NEW_URL}?team={team.pk}",
        _data(
            teammate,
            [learner, teammate],
            problems=[{"title": "[BOJ] 원숭이 매달기", "url": "https://www.acmicpc.net/problem/2"}],
        ),
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert session.team == team and session.cohort == team.cohort
    assert session.created_by == learner and session.host == teammate
    assert session.week == 4
    assert set(session.attendees.all()) == {learner, teammate}
    assert sorted(t.name for t in session.tags.all()) == ["LSTM", "attention", "transformer"]
    assert "<h3" in session.summary_html and "attention" in session.summary_html
    assert [p.title for p in session.problems.all()] == ["[BOJ] 원숭이 매달기"]


def test_the_summary_is_sanitized(login, learner, team):
    login(learner).post(
        f"{NEW_URL}?team={team.pk}",
        _data(
            learner,
            [learner],
            summary='<script>alert(1)</script>\n\n<a href="javascript:x()">x</a>',
        ),
    )
    html = Session.objects.get().summary_html
    assert "<script" not in html and '<a href="javascript' not in html


def test_questions_are_numbered_in_order(login, learner, teammate, mentor, team):
    login(learner).post(
        f"{NEW_URL}?team={team.pk}",
        _data(
            learner,
            [learner, teammate, mentor],
            kind="mentoring",
            questions=[
                {"question": "MHA의 원리?", "asked_by": str(learner.pk)},
                {"question": "Positional encoding", "asked_by": str(teammate.pk)},
            ],
        ),
    )
    session = Session.objects.get()
    assert [(q.number, q.question, q.asked_by) for q in session.questions.all()] == [
        (1, "MHA의 원리?", learner),
        (2, "Positional encoding", teammate),
    ]


def test_deleting_a_question_renumbers_the_rest(login, learner, team):
    session = factories.make_session(team, kind="mentoring")
    q1 = MentoringQuestion.objects.create(
        session=session, number=1, question="one", asked_by=learner
    )
    q2 = MentoringQuestion.objects.create(
        session=session, number=2, question="two", asked_by=learner
    )
    data = _data(learner, [learner], kind="mentoring", version=str(session.version))
    data.update(
        _formset(
            "questions",
            [
                {"id": str(q1.pk), "question": "one", "asked_by": str(learner.pk), "DELETE": "on"},
                {"id": str(q2.pk), "question": "two", "asked_by": str(learner.pk)},
            ],
            initial=2,
        )
    )
    response = login(learner).post(reverse("logs:session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert [(q.number, q.question) for q in session.questions.all()] == [(1, "two")]


# --- Bad input ------------------------------------------------------------------------------


def test_attendees_outside_the_team_are_refused_and_nothing_is_saved(
    login, learner, other_learner, team
):
    response = login(learner).post(
        f"{NEW_URL}?team={team.pk}",
        _data(learner, [learner, other_learner], problems=[{"title": "kept problem", "url": ""}]),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only the team&#x27;s members and mentors can attend" in html
    assert "kept problem" in html  # nothing typed is lost
    assert "### 키워드 공유" in html
    assert not Session.objects.exists() and not SessionProblem.objects.exists()


def test_a_host_outside_the_team_is_refused(login, learner, other_learner, team):
    response = login(learner).post(f"{NEW_URL}?team={team.pk}", _data(other_learner, [learner]))
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_a_date_outside_the_cohort_is_refused(login, learner, team):
    response = login(learner).post(
        f"{NEW_URL}?team={team.pk}", _data(learner, [learner], date="2021-12-01")
    )
    assert response.status_code == 400
    assert "2022-01-17" in response.content.decode()
    assert not Session.objects.exists()


def test_a_team_session_cannot_be_filed_as_a_lecture(login, learner, team):
    response = login(learner).post(
        f"{NEW_URL}?team={team.pk}", _data(learner, [learner], kind="lecture")
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_a_question_asked_by_someone_outside_the_team_is_refused(
    login, learner, other_learner, team
):
    response = login(learner).post(
        f"{NEW_URL}?team={team.pk}",
        _data(
            learner,
            [learner],
            kind="mentoring",
            questions=[{"question": "q", "asked_by": str(other_learner.pk)}],
        ),
    )
    assert response.status_code == 400
    assert not Session.objects.exists() and not MentoringQuestion.objects.exists()


def test_a_team_of_another_cohort_is_not_found(login, learner, foreign_operator):
    other = factories.make_cohort("other-2")
    foreign_team = factories.make_team(other, "1조")
    assert login(learner).get(f"{NEW_URL}?team={foreign_team.pk}").status_code == 404
    assert login(learner).get(f"{NEW_URL}?team=nope").status_code == 404


# --- Teammates edit together: the conflict check ----------------------------------------------


def test_an_edit_from_a_stale_version_is_refused_and_keeps_the_text(login, learner, teammate, team):
    session = factories.make_session(team, summary="원래 요약")
    url = reverse("logs:session_edit", args=[session.pk])
    stale = str(session.version)
    # The teammate saves first.
    response = login(teammate).post(
        url, _data(teammate, [teammate], summary="박동료의 요약", version=stale)
    )
    assert response.status_code == 302
    # The learner's tab still holds the old version.
    response = login(learner).post(
        url, _data(learner, [learner], summary="이캠퍼의 요약", version=stale)
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "이캠퍼의 요약" in html  # what the learner typed
    assert "박동료의 요약" in html  # what is saved now, to compare
    session.refresh_from_db()
    assert session.summary == "박동료의 요약"
    # Saving again, knowingly, replaces it.
    current = str(session.version)
    response = login(learner).post(
        url, _data(learner, [learner], summary="이캠퍼의 요약", version=current)
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.summary == "이캠퍼의 요약"
    assert session.version == int(current) + 1


def test_an_edit_without_a_version_is_a_conflict(login, learner, team):
    session = factories.make_session(team, summary="원래 요약")
    url = reverse("logs:session_edit", args=[session.pk])
    response = login(learner).post(url, _data(learner, [learner], summary="새 요약", version=""))
    assert response.status_code == 409
    session.refresh_from_db()
    assert session.summary == "원래 요약"


def test_the_edit_page_query_count_does_not_grow_with_questions(
    login, learner, team, django_assert_num_queries
):
    """Pins the editor: the question and problem formsets load their rows in one query each,
    and the people choices once per field render, not per question row."""
    session = factories.make_session(team, kind="mentoring")
    client = login(learner)
    url = reverse("logs:session_edit", args=[session.pk])
    MentoringQuestion.objects.create(session=session, number=1, question="q1", asked_by=learner)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    for n in range(2, 6):
        MentoringQuestion.objects.create(
            session=session, number=n, question=f"q{n}", asked_by=learner
        )
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_the_summary_is_written_with_a_live_preview(login, learner, team):
    """The same editor as the logs': CodeMirror over the textarea, previewed through the app's
    sanitizing pipeline."""
    session = factories.make_session(team)
    html = login(learner).get(reverse("logs:session_edit", args=[session.pk])).content.decode()
    start = html.index('name="summary"')
    assert "data-markdownx-urls-path" in html[start : html.index(">", start)]
    assert 'class="markdownx-preview' in html
    scripts = html[html.index("</main>") :]
    assert "codemirror.min.js" in scripts and "markdown-editor.js" in scripts
    assert "markdownx.js" not in scripts  # markdownx's own script is replaced


# --- Titles are one line -----------------------------------------------------------------------


def test_a_line_break_in_the_title_becomes_a_space(login, learner, team):
    url = f"{NEW_URL}?team={team.pk}&kind=peer"
    response = login(learner).post(url, _data(learner, title="피어세션\r\nBcc: x@example.com"))
    assert response.status_code == 302
    assert Session.objects.get().title == "피어세션 Bcc: x@example.com"


def test_too_many_tags_are_refused_with_what_was_typed_kept(login, learner, team):
    url = f"{NEW_URL}?team={team.pk}&kind=peer"
    tags = ", ".join(f"keyword{i}" for i in range(21))
    response = login(learner).post(url, _data(learner, tags=tags, summary="적은 요약"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "At most 20 tags, please." in html
    assert "keyword20" in html and "적은 요약" in html
    assert not Session.objects.exists()


def test_a_tag_over_the_length_limit_is_refused_not_a_500(login, learner, team):
    url = f"{NEW_URL}?team={team.pk}&kind=peer"
    response = login(learner).post(url, _data(learner, tags="a" * 101))
    assert response.status_code == 400
    assert "A tag can be at most 50 characters" in response.content.decode()
