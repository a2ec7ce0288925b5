"""Search: the query language (pure) and /search/ against Postgres full-text search."""

import datetime as dt

import pytest
from taggit.models import Tag

from logs.models import Comment, Entry, Session
from logs.search import query as search
from tests import factories
from tests.logs.browsing import make_world, populate, week_days

# --- The query language (pure) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tsquery"),
    [
        ("스케줄러", "'스케줄러':*"),
        ("transformer", "'transformer':*"),
        ("트랜스포머의 구조", "'트랜스포머':* & '구조':*"),
        ("ResNet에서", "'resnet':*"),
        ("데이터를 모델로", "'데이터':* & '모델':*"),
        ("방법으로", "'방법':*"),
        ('"multi head attention"', "('multi':* <-> 'head':* <-> 'attention':*)"),
        ("“positional encoding”", "('positional':* <-> 'encoding':*)"),
        ("transformer -RNN", "'transformer':* & !'rnn':*"),
        ('attention -"vanilla rnn"', "'attention':* & !('vanilla':* <-> 'rnn':*)"),
        ("LSTM or GRU", "('lstm':* | 'gru':*)"),
        ("x a OR b", "'x':* & ('a':* | 'b':*)"),
        ("gpt-3 lv1-u-stage 3.14", "'gpt-3':* & 'lv1-u-stage':* & '3.14':*"),
        ("c_0", "('c':* <-> '0':*)"),
        ("'; DROP TABLE logs_entry; --", "'drop':* & 'table':* & ('logs':* <-> 'entry':*)"),
        ("a:* & b | !c", "'a':* & 'b':* & 'c':*"),  # only a leading - excludes
    ],
)
def test_a_query_becomes_a_safe_prefix_tsquery(text, tsquery):
    assert search.parse(text).to_tsquery() == tsquery


@pytest.mark.parametrize(
    "text", ["", "   ", "-", "--", "- - -", "!!!", "?!.,()[]{}", '""', "-word", '-"a phrase"', "or"]
)
def test_a_query_with_nothing_to_look_for_is_not_searchable(text):
    parsed = search.parse(text)
    assert not parsed.is_searchable
    assert parsed.to_tsquery() == ""


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("스케줄러도", "스케줄러"),
        ("transformer의", "transformer"),
        ("어텐션에서는", "어텐션"),
        ("강의", "강의"),  # two syllables: 의 is not cut
        ("회의", "회의"),
        ("정의", "정의"),
        ("attention", "attention"),
        ("가", "가"),
    ],
)
def test_a_particle_is_cut_only_when_a_word_remains(word, stem):
    assert search.strip_particle(word) == stem


def test_a_long_query_is_cut_and_says_so():
    parsed = search.parse("가나다 " * 700)
    assert parsed.truncated
    assert len(parsed.text) <= search.MAX_QUERY_CHARS
    assert parsed.is_searchable
    many = search.parse(" ".join(f"w{i}" for i in range(40)))
    assert len(many.words) == search.MAX_WORDS
    assert many.truncated


def test_the_filter_query_spells_each_prefix_with_its_exact_form_too():
    parsed = search.parse('트랜스포머의 "multi head" -rnn')
    assert parsed.to_tsquery(estimable=True) == (
        "('트랜스포머' | '트랜스포머':*) & (('multi' | 'multi':*) <-> ('head' | 'head':*))"
        " & !('rnn' | 'rnn':*)"
    )


def test_a_snippet_is_escaped_before_it_is_highlighted():
    html = search.highlighter(["스케줄러"]).snippet(
        "## 제목 **굵게** <script>alert(1)</script> 스케줄러도\n- [x] 할 일 [링크](http://x)"
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>스케줄러도</mark>" in html
    assert "**" not in html and "##" not in html and "[x]" not in html
    assert "링크" in html and "http://x" not in html


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("Transformer의 구조", "<mark>Transformer의</mark> 구조"),
        ("multi-head attention", "multi-<mark>head</mark> attention"),
        ("overhead", "overhead"),  # inside a word: not a match, as in the index
        ("head_count", "<mark>head</mark>_count"),
        (
            "트랜스포머를 배운 transformer",
            "<mark>트랜스포머를</mark> 배운 <mark>transformer</mark>",
        ),
    ],
)
def test_highlighting_marks_words_where_the_index_matches_them(text, marked):
    assert search.highlighter(["transformer", "head", "트랜스포머"]).title(text) == marked


def test_a_snippet_shows_the_passages_around_the_words():
    def filler(name):
        return " ".join(f"{name}{i}" for i in range(300))

    body = f"{filler('가')} 첫째 스케줄러도 중요하다 {filler('나')} 둘째 스케줄러를 {filler('다')} 셋째 스케줄러"
    snippet = search.highlighter(["스케줄러"]).snippet(body)
    assert snippet.count("<mark>") == search.FRAGMENTS
    assert "첫째 <mark>스케줄러도</mark> 중요하다" in snippet and "둘째" in snippet
    assert "셋째" not in snippet and "가0 " not in snippet
    assert snippet.count(" … ") == search.FRAGMENTS - 1
    assert len(snippet) < 2 * search.LENGTH + 100


def test_a_snippet_prefers_a_passage_with_more_of_the_words():
    filler = " ".join(f"단어{i}" for i in range(300))
    body = f"attention 하나 {filler} attention과 스케줄러 둘 다 {filler}"
    snippet = search.highlighter(["attention", "스케줄러"]).snippet(body)
    assert "<mark>attention과</mark> <mark>스케줄러</mark> 둘 다" in snippet


def test_a_snippet_without_the_words_is_the_beginning():
    body = "## 오늘 한 일\n" + "내용 " * 200
    snippet = search.highlighter(["태그에만"]).snippet(body)
    assert snippet.startswith("오늘 한 일 내용")
    assert len(snippet) <= search.LENGTH


# --- /search/ ------------------------------------------------------------------------------------


@pytest.fixture
def world(learner, cohort, team):
    return make_world(learner, cohort, team)


def _client(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _titles(response) -> list[str]:
    return [
        str(result.obj.title if result.kind != "comment" else result.title)
        for result in response.context["results"]
    ]


def _search(client, q, **params):
    headers = {key: params.pop(key) for key in list(params) if key.startswith("HTTP_")}
    return client.get("/search/", {"q": q, **params}, **headers)


def test_korean_words_match_with_particles_attached(login, learner, cohort):
    factories.make_entry(learner, cohort, title="멘토링 정리", body="스케줄러도 매우 중요하다.")
    response = _search(login(learner), "스케줄러")
    assert _titles(response) == ["멘토링 정리"]
    assert "<mark>스케줄러도</mark>" in response.content.decode()


def test_english_words_match_with_korean_particles_attached(login, learner, cohort):
    factories.make_entry(
        learner, cohort, title="구조", body="transformer의 세 가지 multi-head attention"
    )
    assert _titles(_search(login(learner), "transformer")) == ["구조"]
    assert _titles(_search(login(learner), "Transformer")) == ["구조"]


def test_a_query_with_a_particle_finds_the_bare_word_and_other_forms(login, learner, cohort):
    factories.make_entry(learner, cohort, title="bare", body="트랜스포머 구조")
    factories.make_entry(
        learner,
        cohort,
        learning_date=dt.date(2022, 2, 10),
        title="other",
        body="트랜스포머를 배웠다",
    )
    assert sorted(_titles(_search(login(learner), "트랜스포머의"))) == ["bare", "other"]


def test_phrases_exclusions_and_alternatives(login, learner, cohort):
    factories.make_entry(learner, cohort, title="one", body="multi-head attention 정리")
    factories.make_entry(
        learner,
        cohort,
        learning_date=dt.date(2022, 2, 10),
        title="two",
        body="attention은 multi 하다",
    )
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 2, 11), title="three", body="LSTM과 GRU"
    )
    client = login(learner)
    assert _titles(_search(client, '"multi head attention"')) == ["one"]
    assert _titles(_search(client, "attention -head")) == ["two"]
    assert sorted(_titles(_search(client, "GRU or head"))) == ["one", "three"]


def test_titles_tags_session_summaries_and_comments_are_searched(login, learner, teammate, world):
    client = login(teammate)
    assert "COHORT-LOG 기수 기록" in _titles(_search(client, "기수"))  # title
    assert "COHORT-LOG 기수 기록" in _titles(_search(client, "cohort-tag"))  # tag
    assert "SESSION-NOTE 피어세션" in _titles(_search(client, "positional encoding"))  # summary
    Comment.objects.create(author=teammate, entry=world.cohort_only, body="역전파가 궁금해요")
    response = _search(client, "역전파")
    assert [r.kind for r in response.context["results"]] == ["comment"]
    assert "#comment-" in response.context["results"][0].url


def test_a_tag_added_or_renamed_later_is_found(login, learner, cohort):
    entry = factories.make_entry(learner, cohort, title="tagged later")
    client = login(learner)
    assert _titles(_search(client, "부스트캠프")) == []
    entry.tags.add("부스트캠프AITech")
    assert _titles(_search(client, "부스트캠프")) == ["tagged later"]
    Tag.objects.filter(name="부스트캠프AITech").update(name="네이버부캠")
    assert _titles(_search(client, "부스트캠프")) == []
    assert _titles(_search(client, "네이버")) == ["tagged later"]
    entry.tags.clear()
    assert _titles(_search(client, "네이버")) == []


def test_saving_a_stale_entry_keeps_its_tags_searchable(login, learner, cohort):
    entry = factories.make_entry(learner, cohort, title="stale")
    stale = Entry.objects.get(pk=entry.pk)
    entry.tags.add("fresh-tag")
    stale.title = "stale but saved"
    stale.save()
    assert _titles(_search(login(learner), "fresh-tag")) == ["stale but saved"]


VISIBLE_TO = {
    "learner": {"PRIVATE-LOG", "COHORT-LOG", "PUBLIC-LOG", "DRAFT-LOG", "SESSION-NOTE"},
    "teammate": {"COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"},
    "mentor": {"COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"},
    "other_learner": {"COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"},
    "operator": {"COHORT-LOG", "PUBLIC-LOG", "SESSION-NOTE"},
    "anonymous": {"PUBLIC-LOG"},
    "outsider": {"PUBLIC-LOG"},
    "foreign_operator": {"PUBLIC-LOG"},
}


@pytest.mark.parametrize("persona", list(VISIBLE_TO))
def test_results_respect_visibility(client, request, world, persona):
    # Every object of the world mentions 스케줄러도 or 트랜스포머의 or carries shared-tag.
    response = _search(_client(client, request, persona), "스케줄러 or 트랜스포머 or shared-tag")
    found = {title.split()[0] for title in _titles(response)}
    assert found == VISIBLE_TO[persona]


@pytest.mark.parametrize("persona", ["teammate", "anonymous", "outsider", "mentor"])
def test_comments_on_hidden_objects_are_not_found(client, request, learner, world, persona):
    Comment.objects.create(author=learner, entry=world.private, body="숨은댓글 on a private log")
    Comment.objects.create(author=learner, entry=world.draft, body="숨은댓글 on a draft")
    if persona in ("anonymous", "outsider"):
        Comment.objects.create(author=learner, entry=world.cohort_only, body="숨은댓글 cohort")
        Comment.objects.create(author=learner, session=world.session, body="숨은댓글 session")
    response = _search(_client(client, request, persona), "숨은댓글")
    assert response.context["results"] == []


def test_the_author_finds_comments_on_their_private_log(login, learner, world):
    Comment.objects.create(author=learner, entry=world.private, body="숨은댓글")
    assert len(_search(login(learner), "숨은댓글").context["results"]) == 1


def test_filters_narrow_the_results(login, learner, teammate, cohort, world, foreign_operator):
    client = login(learner)
    everything = set(_titles(_search(client, "shared-tag")))
    assert {"SESSION-NOTE 피어세션", "PUBLIC-LOG 공개 기록"} <= everything
    assert _titles(_search(client, "shared-tag", kind="session")) == ["SESSION-NOTE 피어세션"]
    daily = _titles(_search(client, "shared-tag", kind="daily"))
    assert "SESSION-NOTE 피어세션" not in daily and "PUBLIC-LOG 공개 기록" in daily
    assert _titles(_search(client, "shared-tag", date_from="2022-02-10")) == [
        "PUBLIC-LOG 공개 기록"
    ]
    assert "PUBLIC-LOG 공개 기록" not in _titles(
        _search(client, "shared-tag", date_to="2022-02-09")
    )
    assert _titles(_search(client, "스케줄러", tag="session-tag")) == ["SESSION-NOTE 피어세션"]
    assert _titles(_search(client, "shared-tag", cohort="other-cohort")) == []
    factories.make_entry(teammate, cohort, title="teammate's", body="shared-tag 이야기")
    assert _titles(_search(client, "shared-tag", author="learner2")) == ["teammate's"]
    assert _titles(_search(client, "shared-tag", author="nobody")) == []


def test_an_invalid_filter_is_explained_and_the_query_kept(login, learner, world):
    response = _search(
        login(learner), "스케줄러", date_from="2022-02-30", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="스케줄러"' in html
    assert 'value="2022-02-30"' in html
    assert "Enter a valid date." in html
    reversed_dates = _search(login(learner), "x", date_from="2022-03-01", date_to="2022-02-01")
    assert "date_to" in reversed_dates.context["form"].errors
    assert _search(login(learner), "x", kind="bogus").status_code == 200


@pytest.mark.parametrize(
    "q", ["", "   ", "-", "---", "!!!", "?", '"', "-스케줄러", "or", "'", "\\", "%", "가" * 2000]
)
def test_bad_queries_get_a_friendly_page_never_an_error(client, world, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200


def test_a_2000_character_query_is_cut_and_still_runs(login, learner, world):
    response = _search(login(learner), "스케줄러 " + "가" * 2000, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["parsed"].truncated
    assert "only its beginning was used" in response.content.decode()


def test_a_query_of_only_punctuation_or_exclusions_says_what_to_do(client, world):
    for q in ("!!!", "-", "-스케줄러"):
        html = client.get("/search/", {"q": q}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "There is nothing to look for in that" in html


def test_no_results_say_so(client, world):
    html = client.get("/search/", {"q": "존재하지않는단어"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert "Nothing found" in html.decode()


def test_the_body_is_escaped_in_snippets(client, world):
    html = client.get("/search/", {"q": "트랜스포머"}).content.decode()
    assert "<mark>트랜스포머의</mark>" in html
    assert "<script>alert(1)</script>" not in html


def test_recent_results_rank_a_little_higher_when_equally_relevant(login, learner, cohort):
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 1, 18), title="old", body="같은 내용"
    )
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 5, 18), title="new", body="같은 내용"
    )
    assert _titles(_search(login(learner), "같은")) == ["new", "old"]


def test_a_title_match_outranks_a_body_match(login, learner, cohort):
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 5, 18), title="new", body="optimizer 이야기"
    )
    factories.make_entry(
        learner, cohort, learning_date=dt.date(2022, 1, 18), title="optimizer 정리", body="본문"
    )
    assert _titles(_search(login(learner), "optimizer")) == ["optimizer 정리", "new"]


def test_results_are_paginated(login, learner, cohort):
    for i in range(25):
        factories.make_entry(
            learner, cohort, kind=Entry.Kind.NOTE, title=f"노트 {i}", body="페이지"
        )
    client = login(learner)
    assert len(_search(client, "페이지").context["results"]) == 20
    assert len(_search(client, "페이지", page=2).context["results"]) == 5
    assert _search(client, "페이지", page="zzz").status_code == 200


@pytest.mark.parametrize("learners", [2, 12])
def test_search_runs_a_fixed_number_of_queries(
    login, learner, cohort, team, django_assert_num_queries, learners
):
    """The cohorts (filter); the session with its user; the viewer's roles (with the unread
    count and the header's cohort); one UNION of the newest matches of entries, sessions and
    comments (ranked and counted in one); then for the page only: sessions + their tags,
    comments (with their entry or session), entries (with bodies for the snippets and comment
    counts) + their tags. No query per result, per tag, or per snippet, at either size."""
    users = populate(cohort, learners, week_days(2))
    # Matches of every kind on the first page: sessions by title rank first, then the recent
    # comments, then the entries.
    for user in users:
        entry = factories.make_entry(
            user, cohort, kind=Entry.Kind.NOTE, body="고유어 본문", visibility="cohort"
        )
        Comment.objects.create(author=user, entry=entry, body="고유어 댓글")
    for _ in range(2):
        factories.make_session(team, title="고유어 세션").tags.add("scale")
    client = login(learner)
    with django_assert_num_queries(9):
        response = _search(client, "고유어")
    assert {r.kind for r in response.context["results"]} == {"entry", "session", "comment"}


def test_the_empty_search_page_runs_no_search(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/search/").status_code == 200


def test_search_works_without_pg_trgm(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select count(*) from pg_extension where extname = 'pg_trgm'")
        assert cursor.fetchone()[0] == 0
    assert Session.objects.matching("'x':*").count() == 0


def test_a_word_in_many_logs_is_ranked_among_the_newest_matches(
    login, learner, cohort, monkeypatch
):
    """At cohort scale a common word matches most logs; ranking all of them took seconds, so each
    kind is ranked among its newest CANDIDATES matches (found through the date indexes)."""
    from logs.search import results as search_view

    monkeypatch.setattr(search_view, "CANDIDATES", 2)
    days = [dt.date(2022, 2, 7), dt.date(2022, 2, 8), dt.date(2022, 2, 9)]
    entries = [
        factories.make_entry(learner, cohort, learning_date=d, body="흔한단어 정리") for d in days
    ]
    response = _search(login(learner), "흔한단어", kind="daily", HTTP_ACCEPT_LANGUAGE="en")
    found = [result.obj.pk for result in response.context["results"]]
    assert sorted(found) == sorted(e.pk for e in entries[1:])
    assert response.context["page_obj"].paginator.count == 2
    assert "2+ results for" in response.content.decode()


def test_a_count_below_the_candidates_is_exact(login, learner, cohort, monkeypatch):
    from logs.search import results as search_view

    monkeypatch.setattr(search_view, "CANDIDATES", 3)
    for day in (dt.date(2022, 2, 8), dt.date(2022, 2, 9)):
        factories.make_entry(learner, cohort, learning_date=day, body="흔한단어 정리")
    html = _search(login(learner), "흔한단어", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 results for" in html and "+ results" not in html


def test_a_tag_filter_lists_each_result_once(login, learner, cohort):
    """A log carrying two tags that both answer the filter (a slug and a name) is one result."""
    entry = factories.make_entry(learner, cohort, body="태그필터 본문")
    entry.tags.add("ml")
    entry.tags.add(Tag.objects.create(name="ML", slug="ml-2"))
    response = _search(login(learner), "태그필터", tag="ml")
    assert _titles(response) == [entry.title]
