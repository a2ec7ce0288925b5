"""Pages served from cached fragments (logs/caching/fragments.py, logs/caching/invalidation.py): an edit shows on
the next request, nobody sees a list cached for someone else, and a warm page costs a handful of
queries whatever the size."""

import datetime as dt

import pytest
from django.urls import reverse

from logs.models import Comment, FragmentVersion, Notification
from tests import factories
from tests.logs.entry_helpers import editor_post

WEEK = "/c/ai-tech-3/weeks/4/"
DAY = "/c/ai-tech-3/days/2022-02-09/"
PAGES = [WEEK, DAY, "/u/learner/"]


@pytest.fixture
def entry(learner, cohort):
    return factories.make_entry(learner, cohort, title="처음 제목", tags=["attention"])


@pytest.mark.parametrize("url", [*PAGES, "/tags/attention/"])
def test_an_edit_shows_on_the_next_request(login, teammate, entry, url):
    client = login(teammate)
    assert "처음 제목" in client.get(url).content.decode()
    entry.title = "고친 제목"
    entry.save()
    html = client.get(url).content.decode()
    assert "고친 제목" in html and "처음 제목" not in html


def test_the_cohort_home_counts_a_new_log(login, teammate, learner, cohort, entry):
    client = login(teammate)
    assert "기록 1개" in client.get("/c/ai-tech-3/").content.decode()
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10))
    assert "기록 2개" in client.get("/c/ai-tech-3/").content.decode()


def test_a_new_comment_updates_the_counts_on_the_lists(login, teammate, mentor, entry):
    client = login(teammate)
    assert 'class="comment-count"' not in client.get(WEEK).content.decode()
    Comment.objects.create(entry=entry, author=mentor, body="좋아요")
    assert 'class="comment-count"' in client.get(WEEK).content.decode()


def test_a_new_tag_shows_on_the_entry_and_the_lists(login, teammate, entry):
    client = login(teammate)
    client.get(WEEK), client.get(entry.get_absolute_url())
    entry.tags.add("트랜스포머")
    assert "트랜스포머" in client.get(WEEK).content.decode()
    assert "트랜스포머" in client.get(entry.get_absolute_url()).content.decode()


def test_a_renamed_author_shows_everywhere(login, teammate, learner, entry):
    client = login(teammate)
    for url in (WEEK, entry.get_absolute_url()):
        client.get(url)
    learner.display_name = "새이름캠퍼"
    learner.save()
    for url in (WEEK, entry.get_absolute_url()):
        assert "새이름캠퍼" in client.get(url).content.decode()


def test_a_new_bio_shows_on_its_page_and_invalidates_nothing_else(login, teammate, learner):
    from logs.caching import versions

    client = login(teammate)
    client.get("/u/learner/")
    setup = versions.get_version(versions.SETUP)
    learner.bio = "트랜스포머를 좋아하는 캠퍼"
    learner.save()
    assert versions.get_version(versions.SETUP) == setup
    assert "트랜스포머를 좋아하는 캠퍼" in client.get("/u/learner/").content.decode()


def test_a_new_password_or_language_invalidates_nothing(learner):
    from logs.caching import versions

    before = versions.get_versions([versions.SETUP, "learner:learner"])
    learner.set_password("another-password-1234")
    learner.preferred_language = "en"
    learner.save()
    assert versions.get_versions([versions.SETUP, "learner:learner"]) == before


def test_a_new_username_invalidates_the_old_and_the_new_learner_page(login, teammate, learner):
    client = login(teammate)
    assert client.get("/u/learner/").status_code == 200
    learner.username = "renamed"
    learner.save()
    assert client.get("/u/learner/").status_code == 404
    assert client.get("/u/renamed/").status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_a_private_entry_is_never_served_from_its_authors_cache(
    client, login, learner, teammate, cohort, url
):
    factories.make_entry(learner, cohort, title="나만 보는 기록", visibility="private")
    factories.make_entry(
        teammate, cohort, title="함께 보는 기록", learning_date=dt.date(2022, 2, 9)
    )
    assert "나만 보는 기록" in login(learner).get(url).content.decode()
    client.force_login(teammate)
    assert "나만 보는 기록" not in client.get(url).content.decode()
    client.logout()
    assert "나만 보는 기록" not in client.get(url).content.decode()


def test_an_entry_turned_private_leaves_the_shared_lists(login, learner, teammate, entry):
    client = login(teammate)
    assert "처음 제목" in client.get(WEEK).content.decode()
    entry.visibility = "private"
    entry.save()
    assert "처음 제목" not in client.get(WEEK).content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_the_header_counts_a_new_notification_at_once(login, learner, mentor, entry):
    client = login(learner)
    assert 'class="nav-count"' not in client.get(WEEK).content.decode()
    comment = Comment.objects.create(entry=entry, author=mentor, body="좋아요")
    Notification.objects.create(
        recipient=learner, actor=mentor, verb="comment", entry=entry, comment=comment
    )
    assert 'class="nav-count"' in client.get(WEEK).content.decode()


def test_cached_forms_carry_this_requests_csrf_token(login, teammate, entry):
    client = login(teammate)
    client.get(entry.get_absolute_url())
    html = client.get(entry.get_absolute_url()).content.decode()
    token = client.cookies["csrftoken"].value
    assert "\x00" not in html
    assert 'name="csrfmiddlewaretoken"' in html and token
    assert 'name="next" value="/entries/' in html


def test_a_busy_day_lists_its_first_logs_on_the_week_page_and_all_on_the_day_page(
    login, learner, cohort, team
):
    for i in range(15):
        author = factories.make_user(f"busy{i:02d}")
        factories.join(author, cohort, team=team)
        factories.make_entry(author, cohort, title=f"바쁜 날 {i:02d}")
    html = login(learner).get(WEEK).content.decode()
    assert html.count("바쁜 날") == 8
    assert f'href="{DAY}"' in html and "15" in html
    assert login(learner).get(DAY).content.decode().count("바쁜 날") == 15


@pytest.mark.parametrize(
    ("url", "queries"),
    [(WEEK, 2), (DAY, 2), ("/c/ai-tech-3/", 2), ("/u/learner/", 2), ("/tags/attention/", 2)],
)
def test_a_warm_page_costs_a_handful_of_queries(
    login, teammate, entry, url, queries, django_assert_num_queries
):
    # The session with its user; the page's cache versions with those of the viewer's roles and
    # their unread count; the viewer's roles and the page come from the cache.
    client = login(teammate)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_a_warm_entry_page_costs_a_handful_of_queries(
    login, teammate, entry, django_assert_num_queries
):
    client = login(teammate)
    client.get(entry.get_absolute_url())
    # The session with its user, the cache versions with the unread count, and the entry's
    # comments for its viewer.
    with django_assert_num_queries(2):
        assert client.get(reverse("logs:entry_detail", args=[entry.pk])).status_code == 200


def test_a_save_in_the_editor_shows_on_the_old_and_the_new_week(login, learner, teammate, entry):
    viewer = login(teammate)
    assert "처음 제목" in viewer.get(WEEK).content.decode()
    assert "처음 제목" not in viewer.get("/c/ai-tech-3/weeks/3/").content.decode()
    response = login(learner).post(
        reverse("logs:entry_edit", args=[entry.pk]),
        editor_post(entry, title="옮긴 기록", learning_date="2022-02-03", tags="옮김"),
    )
    assert response.status_code == 302
    viewer = login(teammate)
    assert "처음 제목" not in viewer.get(WEEK).content.decode()
    moved = viewer.get("/c/ai-tech-3/weeks/3/").content.decode()
    assert "옮긴 기록" in moved and "옮김" in moved
    assert "옮긴 기록" in viewer.get(entry.get_absolute_url()).content.decode()


def _body(html: str) -> str:
    start = html.index('id="entry-body"')
    return html[start : html.index("</div>", start)]


def test_ticking_a_task_on_the_page_shows_on_the_next_visit(login, learner, teammate, cohort):
    # The tick is an UPDATE with a version check: no signal, the model tells the cache itself.
    entry = factories.make_entry(learner, cohort, body="- [ ] 과제 제출\n")
    url = entry.get_absolute_url()
    assert "checked" not in _body(login(teammate).get(url).content.decode())
    response = login(learner).post(
        reverse("logs:entry_toggle_task", args=[entry.pk]),
        {"index": 0, "version": entry.version, "checked": "1"},
    )
    assert response.status_code == 200
    assert "checked" in _body(login(teammate).get(url).content.decode())


def test_a_new_session_of_the_day_shows_beside_the_log(login, learner, teammate, team, entry):
    client = login(teammate)
    client.get(entry.get_absolute_url())
    factories.make_session(team, title="새 피어세션")
    assert "새 피어세션" in client.get(entry.get_absolute_url()).content.decode()


def test_a_new_log_the_next_day_becomes_the_next_link(login, learner, teammate, cohort, entry):
    client = login(teammate)
    assert 'rel="next"' not in client.get(entry.get_absolute_url()).content.decode()
    later = factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10))
    html = client.get(entry.get_absolute_url()).content.decode()
    assert f'rel="next" href="{later.get_absolute_url()}"' in html


def test_only_a_comments_author_gets_its_buttons_from_a_cached_page(
    login, learner, teammate, mentor, entry
):
    Comment.objects.create(entry=entry, author=mentor, body="멘토의 댓글")
    edit_url = "/comments/"
    as_teammate = login(teammate).get(entry.get_absolute_url()).content.decode()
    as_mentor = login(mentor).get(entry.get_absolute_url()).content.decode()
    again = login(teammate).get(entry.get_absolute_url()).content.decode()
    assert "멘토의 댓글" in as_teammate and "멘토의 댓글" in as_mentor
    assert as_mentor.count(edit_url) > as_teammate.count(edit_url) == again.count(edit_url)


def test_a_visitor_is_asked_to_log_in_back_to_the_page(client, learner, cohort):
    public = factories.make_entry(learner, cohort, visibility="public")
    url = public.get_absolute_url()
    client.get(url)
    html = client.get(f"{url}?comments=1").content.decode()
    assert f"?next={url}%3Fcomments%3D1" in html


def test_imported_posts_show_on_the_cached_pages(login, learner, teammate, cohort, entry):
    from tests.logs.test_import import daily_logs, days_from, import_posts

    client = login(teammate)
    before = client.get(WEEK).content.decode()
    import_posts(daily_logs(days_from(dt.date(2022, 2, 7), 2)), learner, cohort)
    after = client.get(WEEK).content.decode()
    assert after.count('class="entry-row"') == before.count('class="entry-row"') + 2


def test_a_tag_spelled_another_way_still_leads_to_its_page(login, teammate, entry):
    client = login(teammate)
    for _ in range(2):  # the second answer comes from the cache
        response = client.get("/tags/ATTENTION/")
        assert response.status_code == 302 and response["Location"] == "/tags/attention/"
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_a_new_tag_does_not_throw_away_every_cached_page(login, teammate, learner, cohort, entry):
    def setup_version():
        return (
            FragmentVersion.objects.filter(name="setup").values_list("version", flat=True).first()
        )

    login(teammate).get(WEEK)
    before = setup_version()
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10), tags=["새태그"])
    assert setup_version() == before


# --- The viewer's roles are cached too (logs/access.py `load_page_roles`) -----------------


def test_joining_a_cohort_shows_its_logs_at_once(login, outsider, cohort, entry):
    client = login(outsider)
    assert "처음 제목" not in client.get(WEEK).content.decode()
    factories.join(outsider, cohort)
    assert "처음 제목" in client.get(WEEK).content.decode()


def test_leaving_a_cohort_hides_its_logs_at_once(login, teammate, cohort, entry):
    client = login(teammate)
    assert "처음 제목" in client.get(WEEK).content.decode()
    teammate.memberships.get(cohort=cohort).delete()
    assert "처음 제목" not in client.get(WEEK).content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_a_draft_makes_the_authors_week_their_own_at_once(login, learner, cohort, entry):
    client = login(learner)
    client.get(WEEK)
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 2, 8), title="혼자 보는 초안", status="draft"
    )
    assert "혼자 보는 초안" in client.get(WEEK).content.decode()


def test_reading_notifications_clears_the_header_count(login, learner, mentor, entry):
    Comment.objects.create(entry=entry, author=mentor, body="확인해 보세요")
    Notification.objects.create(recipient=learner, actor=mentor, verb="comment", entry=entry)
    client = login(learner)
    assert 'class="nav-count"' in client.get(WEEK).content.decode()
    client.post("/notifications/read/", {"next": WEEK})
    assert 'class="nav-count"' not in client.get(WEEK).content.decode()


def test_cached_lists_lose_their_indentation_but_code_keeps_its_own(
    login, learner, teammate, cohort
):
    entry = factories.make_entry(
        learner, cohort, body="```python\ndef f():\n    return 1\n```\n\n- [ ] 과제\n"
    )
    client = login(teammate)
    week = client.get(WEEK).content.decode()
    listing = week[week.index('<ul class="entry-list">') :]
    listing = listing[: listing.index("</ul>")]
    assert entry.title in listing and "\n " not in listing and "\n\n" not in listing
    article = client.get(entry.get_absolute_url()).content.decode()
    code = article[article.index("<pre") : article.index("</pre>")]
    assert "\n    " in code


def test_the_cohort_keywords_follow_within_the_hour_not_on_every_save(
    login, teammate, learner, cohort, entry, monkeypatch
):
    """Counting every tag of a cohort is the cohort home's costliest part: a save updates the
    counts at once and the keywords with the hour."""
    from logs.caching import fragments

    client = login(teammate)
    assert "새키워드" not in client.get("/c/ai-tech-3/").content.decode()
    factories.make_entry(learner, cohort, learning_date=dt.date(2022, 2, 10), tags=["새키워드"])
    html = client.get("/c/ai-tech-3/").content.decode()
    assert "기록 2개" in html and "새키워드" not in html
    monkeypatch.setattr(fragments, "hour", lambda: "next hour")
    assert "새키워드" in client.get("/c/ai-tech-3/").content.decode()


def test_the_header_greets_the_learner_by_name_and_follows_a_rename(login, learner):
    client = login(learner)
    html = client.get(WEEK).content.decode()
    assert '<span class="menu-name">이캠퍼</span>' in html and "@learner" in html
    learner.display_name = "이름바꾼캠퍼"
    learner.save()
    assert '<span class="menu-name">이름바꾼캠퍼</span>' in client.get(WEEK).content.decode()


@pytest.mark.parametrize(
    "change", [{"visibility": "private"}, {"status": "draft"}, {"visibility": "cohort"}]
)
def test_a_log_leaving_the_public_takes_its_tags_off_the_cohort_keywords(
    client, login, learner, cohort, change
):
    """The keyword cloud is rebuilt hourly, but not with a log that no longer shows in it."""
    public = factories.make_entry(learner, cohort, visibility="public", tags=["비밀이될태그"])
    assert "비밀이될태그" in client.get("/c/ai-tech-3/").content.decode()
    edit = login(learner).post(
        reverse("logs:entry_edit", args=[public.pk]), editor_post(public, **change)
    )
    assert edit.status_code == 302
    client.logout()
    assert "비밀이될태그" not in client.get("/c/ai-tech-3/").content.decode()


def test_a_deleted_log_takes_its_tags_off_the_cohort_keywords(client, learner, cohort):
    public = factories.make_entry(learner, cohort, visibility="public", tags=["지울태그"])
    assert "지울태그" in client.get("/c/ai-tech-3/").content.decode()
    public.delete()
    assert "지울태그" not in client.get("/c/ai-tech-3/").content.decode()
