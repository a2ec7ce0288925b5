"""Parsing, classifying and writing Jekyll posts (`logs.transfer.jekyll`): pure, no database."""

import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from logs.transfer import jekyll
from logs.transfer.jekyll import (
    MAX_POST_BYTES,
    PostError,
    dump_post,
    export_front_matter,
    guess_kind,
    heading_title,
    image_refs,
    parse_post,
    post_path,
    rewrite_image_refs,
)


@pytest.fixture(autouse=True)
def _english():
    """The reasons are checked in English here; the import page shows them in the viewer's
    language (tests/logs/test_import_view.py)."""
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jekyll"
GOOD = sorted(path.name for path in FIXTURES.glob("*.md"))
SEOUL = timezone(timedelta(hours=9))
SEED = "2022-02-09-week04-day015.md"


def parse(name: str) -> jekyll.Post:
    return parse_post(name, (FIXTURES / name).read_bytes())


def body_of(name: str) -> str:
    """The body as the file has it: everything after the closing `---` line."""
    text = (FIXTURES / name).read_bytes().decode("utf-8")
    return text.split("\n---\n", 1)[1]


# --- the seed --------------------------------------------------------------------------------


def test_it_reads_the_seed_post():
    post = parse(SEED)

    assert post.source_name == SEED
    assert post.title == "[Week 04 / Day 015] 학습 기록"
    assert post.date == datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL)
    assert (post.date.hour, post.date.minute) == (22, 40)
    assert post.date.utcoffset() == timedelta(hours=9)
    assert post.date_has_time is True
    assert post.categories == ["부스트캠프 AI Tech 3기", "Daily & Weekly Log"]
    assert post.tags == ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"]
    assert post.math is True
    assert post.image == {"path": "/assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"}
    assert post.description is None
    assert post.published is True
    assert post.visibility is None
    assert post.last_modified_at is None
    assert post.extra == {}
    assert post.body == body_of(SEED)
    assert post.body.startswith("## **📝 오늘 한 일**\n- [x] 강의 수강 및 퀴즈\n")
    assert "> ![backprop through cell state는" in post.body


def test_it_keeps_the_comment_on_the_seed_tags_line():
    post = parse(SEED)

    assert post.comments == {"tags": {"inline": "     # TAG names should always be lowercase"}}
    assert "lv1-u-stage]     # TAG names should always be lowercase\n" in post.dump()


def test_it_writes_the_seed_front_matter_back_as_chirpy_does():
    front = parse(SEED).dump().split("---\n")[1]

    assert front == (
        'title: "[Week 04 / Day 015] 학습 기록"\n'
        "date: 2022-02-09 22:40:00 +0900\n"
        "categories: [부스트캠프 AI Tech 3기, Daily & Weekly Log]\n"
        "tags: [부스트캠프AITech, daily-log, week04, lv1-u-stage]"
        "     # TAG names should always be lowercase\n"
        "math: true\n"
        "image:\n"
        "  path: /assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png\n"
    )


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("2022-02-09 22:40:00 +0900", datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
        ("2022-02-09 22:40:00 +09:00", datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
        ("2022-02-09T22:40:00+09:00", datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
        ("2022-02-09 13:40:00 Z", datetime(2022, 2, 9, 13, 40, tzinfo=UTC), True),
        ("2022-02-09 13:40:00 UTC", datetime(2022, 2, 9, 13, 40, tzinfo=UTC), True),
        (
            "2022-02-09 08:40:00 -05:00",
            datetime(2022, 2, 9, 8, 40, tzinfo=timezone(-timedelta(hours=5))),
            True,
        ),
        (
            "2022-02-09 22:40:00.25 +0900",
            datetime(2022, 2, 9, 22, 40, 0, 250000, tzinfo=SEOUL),
            True,
        ),
        ("2022-02-09 22:40:00", datetime(2022, 2, 9, 22, 40), True),
        ("2022-02-09 22:40", datetime(2022, 2, 9, 22, 40), True),
        ("2022-2-9 7:05", datetime(2022, 2, 9, 7, 5), True),
        ("2022-02-09", datetime(2022, 2, 9), False),
        ('"2022-02-09 22:40:00 +0900"', datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
        ("!!timestamp 2022-02-09 22:40:00 +0900", datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
    ],
)
def test_it_reads_dates_with_the_zone_and_wall_time_as_written(text, expected, has_time):
    post = parse_post("post.md", f"---\ndate: {text}\n---\n".encode())

    assert post.date == expected
    assert post.date_has_time is has_time
    assert post.date.utcoffset() == expected.utcoffset()
    assert post.date.hour == expected.hour


def test_a_time_without_zone_is_a_naive_wall_time():
    post = parse("2022-02-10-week04-day016.md")

    assert post.date == datetime(2022, 2, 10, 23, 15)
    assert post.date.tzinfo is None
    assert post.date_has_time is True


def test_a_date_alone_is_midnight_without_a_time():
    post = parse("2022-02-12-weekend-review.md")

    assert post.date == datetime(2022, 2, 12)
    assert post.date_has_time is False


def test_without_a_date_key_the_date_comes_from_the_file_name():
    post = parse("2022-02-13-no-date-key.md")

    assert post.date == datetime(2022, 2, 13)
    assert post.date_has_time is False


def test_without_any_date_the_date_is_none():
    post = parse_post("_posts/untitled.md", b"---\ntitle: x\n---\nbody\n")

    assert post.date is None
    assert post.date_has_time is False


def test_the_file_name_date_is_read_from_the_base_name():
    post = parse_post("blog/_posts/2021-12-31-last.md", b"no front matter\n")

    assert post.date == datetime(2021, 12, 31)


@pytest.mark.parametrize(
    ("value", "expected", "has_time"),
    [
        ("2022-02-09 22:40:00 +0900", datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL), True),
        (date(2022, 2, 9), datetime(2022, 2, 9), False),
        (
            datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL),
            datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL),
            True,
        ),
    ],
)
def test_date_values_may_come_as_text_date_or_datetime(value, expected, has_time):
    assert jekyll._to_datetime(value, "date", None) == (expected, has_time)


def test_it_reads_last_modified_at():
    assert parse("2022-02-12-weekend-review.md").last_modified_at == datetime(
        2022, 2, 13, 10, 5, tzinfo=SEOUL
    )
    assert parse("2022-02-15-draft.md").last_modified_at == datetime(2022, 2, 16)


# --- categories, tags and the other keys ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "categories"),
    [
        (SEED, ["부스트캠프 AI Tech 3기", "Daily & Weekly Log"]),  # inline list
        ("2022-02-10-week04-day016.md", ["부스트캠프 AI Tech 3기", "Daily & Weekly Log"]),  # block
        ("2022-02-11-week04-weekly.md", ["부스트캠프 AI Tech 3기", "Daily & Weekly Log", "Weekly"]),
        ("2022-02-12-weekend-review.md", ["부스트캠프 AI Tech 3기"]),  # a single string
        ("2022-02-15-draft.md", ["부스트캠프 AI Tech 3기", "Mentoring", "멘토링"]),  # + category:
        ("2022-02-16-notion-export.md", []),
    ],
)
def test_it_reads_categories_in_every_shape(name, categories):
    assert parse(name).categories == categories


@pytest.mark.parametrize(
    ("name", "tags"),
    [
        (SEED, ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"]),
        ("2022-02-10-week04-day016.md", ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"]),
        ("2022-02-11-week04-weekly.md", []),  # tags: []
        ("2022-02-12-weekend-review.md", []),  # tags: (empty)
        ("2022-02-13-no-date-key.md", ["python", "파이썬"]),
    ],
)
def test_it_reads_tags_in_every_shape(name, tags):
    assert parse(name).tags == tags


@pytest.mark.parametrize(
    ("yaml", "tags"),
    [
        ("tags: python, 파이썬 ,  딥러닝", ["python", "파이썬", "딥러닝"]),
        ("tags: python 파이썬", ["python", "파이썬"]),
        ("tags: [a, [b, c], a]", ["a", "b", "c"]),
        ("tags: [2022, true]", ["2022", "true"]),
        ("tags: ''", []),
        ("tag: 단수형\ntags: [복수형]", ["복수형", "단수형"]),
        ('tags: ["c,d", "a b", ~, ""]', ["c,d", "a b"]),  # list items are never split
    ],
)
def test_it_reads_tag_strings_and_odd_lists(yaml, tags):
    assert parse_post("p.md", f"---\n{yaml}\n---\n".encode()).tags == tags


def test_an_image_is_kept_as_a_string_or_as_a_mapping():
    assert parse("2022-02-10-week04-day016.md").image == (
        "/assets/img/posts/Boostcamp-AI-Tech/boostcamp_ai_tech_title.png"
    )
    image = parse("2022-02-14-attention-is-all-you-need.md").image
    assert isinstance(image, dict)
    assert list(image) == ["path", "alt", "lqip"]
    assert image["alt"] == "Transformer 구조 (Vaswani et al., 2017)"


def test_it_reads_description_and_math():
    post = parse("2022-02-14-attention-is-all-you-need.md")

    assert post.description == "트랜스포머 원 논문 리뷰. Self-attention만으로 seq2seq를 푼다."
    assert post.math is True
    assert parse("2022-02-11-week04-weekly.md").math is False
    assert parse("2022-02-13-no-date-key.md").math is None


def test_published_false_is_a_draft_and_visibility_is_read():
    draft = parse("2022-02-15-draft.md")

    assert draft.published is False
    assert draft.visibility == "private"
    assert parse("2022-02-17-crlf.md").visibility == "cohort"
    assert parse("2022-02-18-utf8-bom.md").visibility == "public"
    assert parse(SEED).published is True
    assert parse_post("p.md", b"---\nvisibility: Public\n---\n").visibility == "public"


def test_it_keeps_every_other_key_in_order():
    post = parse("2022-02-14-attention-is-all-you-need.md")

    assert list(post.extra.items()) == [
        ("author", "camper"),
        ("pin", True),
        ("toc", True),
        ("comments", False),
        ("mermaid", True),
        ("render_with_liquid", False),
        ("sitemap", {"changefreq": "weekly", "priority": 0.7}),
    ]


def test_nested_timestamps_in_other_keys_stay_as_written():
    extra = parse("2022-02-15-draft.md").extra

    assert extra["custom_nested"]["when"] == "2022-02-16 09:00:00 +0900"


# --- the body is never touched -------------------------------------------------------------


def test_liquid_kramdown_attributes_and_html_stay_verbatim():
    post = parse("2022-02-10-week04-day016.md")

    assert post.body == body_of("2022-02-10-week04-day016.md")
    for line in (
        '{: width="400px" .align-center}\n',
        "{: .prompt-info }\n",
        "{% include embed/youtube.html id='iDulhoQ2pro' %}\n",
        "{% raw %}\n",
        "<details>\n<summary>피어세션 코드 (클릭해서 펼치기)</summary>\n",
        "<p align=\"center\"><img src='{{ site.baseurl }}/assets/img/posts/d016-3.png'></p>\n",
    ):
        assert line in post.body


def test_a_file_without_front_matter_is_all_body():
    raw = (FIXTURES / "2022-02-16-notion-export.md").read_bytes().decode()
    post = parse("2022-02-16-notion-export.md")

    assert post.title is None
    assert post.date == datetime(2022, 2, 16)
    assert post.body == raw
    assert "<aside>\n💡 Notion에서 내보낸 페이지입니다." in post.body
    assert heading_title(post.body) == "[Week 04 / Day 017] 학습 기록"


def test_crlf_line_endings_become_newlines():
    raw = (FIXTURES / "2022-02-17-crlf.md").read_bytes()
    assert b"\r\n" in raw  # the fixture must keep its CRLF (mark it -text if git touches it)

    post = parse("2022-02-17-crlf.md")

    assert post.title == "[Week 04 / Day 018] 학습 기록"
    assert "\r" not in post.body
    assert post.body == "## 오늘 한 일\n- [x] 윈도우 메모장에서 쓴 글\n\n끝.\n"


def test_a_leading_bom_is_removed_and_nothing_else():
    assert (FIXTURES / "2022-02-18-utf8-bom.md").read_bytes().startswith(b"\xef\xbb\xbf")

    post = parse("2022-02-18-utf8-bom.md")

    assert post.title == "BOM으로 시작하는 글"
    assert post.body == "\ufeff가 맨 앞에만 있었다.\n"


def test_utf16_with_a_bom_is_read():
    post = parse("2022-02-19-utf16.md")

    assert post.title == "UTF-16으로 저장한 글"
    assert post.body == "메모장의 '유니코드' 저장.\n"


def test_a_front_matter_closed_with_dots_is_read():
    post = parse("2022-02-15-draft.md")

    assert post.body == "1. MHA의 head 수는 어떻게 정하나요?\n"


def test_comments_in_the_front_matter_are_kept_beside_their_keys():
    post = parse("2022-02-15-draft.md")

    assert post.comments == {
        "categories": {"above": ["# pin: true"]},
        "custom_nested": {"below": ["# 마지막 주석"]},
    }
    dumped = post.dump()
    assert "# pin: true\ncategories:" in dumped
    assert dumped.endswith("# 마지막 주석\n---\n1. MHA의 head 수는 어떻게 정하나요?\n")


def test_a_hash_inside_a_quoted_value_is_not_a_comment():
    post = parse_post("p.md", b'---\ntitle: "C# #1 # not a comment"  # real\n---\n')

    assert post.title == "C# #1 # not a comment"
    assert post.comments == {"title": {"inline": "  # real"}}


# --- refused files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("empty.md", None, "the file is empty"),
        ("binary.md", None, "binary file"),
        ("cp949.md", 2, "CP949/EUC-KR"),
        ("not-yaml.md", 4, "not valid YAML"),
        ("list-front-matter.md", 2, "it is a list"),
        ("date-not-a-date.md", 3, "`date: 어제 밤 10시` is not a date"),
        ("impossible-date.md", 3, "not a valid date"),
        ("bad-visibility.md", 3, "`visibility: team` is not one of private, cohort, public"),
        ("unclosed.md", 1, "never closed"),
        ("duplicate-key.md", 5, "`tags` appears twice in the front matter (lines 3 and 5)"),
        ("alias.md", 2, "anchors"),
    ],
)
def test_it_refuses_bad_files_with_a_precise_reason(name, line, words):
    with pytest.raises(PostError) as caught:
        parse_post(name, (FIXTURES / "bad" / name).read_bytes())

    assert words in str(caught.value)
    assert caught.value.line == line
    if line:
        assert str(caught.value).startswith(f"line {line}: ")


def test_the_yaml_error_names_where_the_broken_list_started():
    with pytest.raises(PostError) as caught:
        parse_post("p.md", (FIXTURES / "bad" / "not-yaml.md").read_bytes())

    assert "started on line 3" in str(caught.value)


def test_cp949_message_says_how_to_fix_it():
    with pytest.raises(PostError, match="iconv -f cp949 -t utf-8"):
        parse_post("cp949.md", (FIXTURES / "bad" / "cp949.md").read_bytes())


def test_other_encodings_are_refused_as_not_utf8():
    with pytest.raises(PostError, match="not UTF-8"):
        parse_post("latin1.md", "---\ntitle: café\n---\n".encode("latin-1"))


def test_a_ten_megabyte_file_is_refused():
    with pytest.raises(PostError, match="larger than 1 MB"):
        parse_post("big.md", b"a" * (10 * 1024 * 1024))


def test_a_file_of_exactly_the_limit_is_read():
    data = b"---\ntitle: big\n---\n" + b"a" * (MAX_POST_BYTES - 19)

    assert len(data) == MAX_POST_BYTES
    assert parse_post("big.md", data).title == "big"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xef\xbb\xbf  \n\n", "the file is empty"),
        (b'---\n"title\n---\n', "not valid YAML"),
        (b"---\njust a sentence\n---\n", "it is a single value"),
        (b"---\ndate: 2022\n---\n", "is not a date"),
        (b"---\ndate: 2022-02-09 25:00\n---\n", "not a valid date"),
        (b"---\ndate: 2022-02-09 10:00 +2500\n---\n", "impossible time zone offset"),
        (b"---\nmath: maybe\n---\n", "`math: maybe` must be true or false"),
        (b"---\npublished: later\n---\n", "must be true or false"),
        (b"---\nimage: [a.png, b.png]\n---\n", "`image` must be a path or a mapping"),
        (b"---\ntitle: [a, b]\n---\n", "`title` must be text, not a list"),
        (b"---\ncategories: {a: b}\n---\n", "`categories` must be a list or text"),
        (b"---\ntitle: \x01\x02\n---\n", "character YAML does not allow"),
        (b"---\n[a, b]: c\n---\n", "not valid YAML"),
    ],
)
def test_it_refuses_other_bad_front_matter(data, words):
    with pytest.raises(PostError) as caught:
        parse_post("p.md", data)

    assert words in str(caught.value)


def test_a_post_error_is_a_value_error():
    assert issubclass(PostError, ValueError)


# --- kinds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (SEED, "daily"),
        ("2022-02-10-week04-day016.md", "daily"),
        ("2022-02-11-week04-weekly.md", "weekly"),
        ("2022-02-12-weekend-review.md", "note"),
        ("2022-02-14-attention-is-all-you-need.md", "note"),
        ("2022-02-16-notion-export.md", "daily"),  # judged by its `# heading`
        ("2022-02-17-crlf.md", "daily"),
    ],
)
def test_it_guesses_the_kind_of_the_corpus(name, kind):
    assert guess_kind(parse(name)) == kind


def _post(title=None, tags=(), categories=()):
    return jekyll.Post(
        source_name="p.md",
        title=title,
        date=None,
        date_has_time=False,
        categories=list(categories),
        tags=list(tags),
        math=None,
        image=None,
        description=None,
        published=True,
        visibility=None,
        last_modified_at=None,
        extra={},
        body="",
    )


@pytest.mark.parametrize(
    ("title", "tags", "categories", "kind"),
    [
        ("[Week 04 / Day 015] 학습 기록", (), (), "daily"),
        ("[WEEK 4/DAY 15]", (), (), "daily"),
        ("Week 04 Day 015", (), (), "daily"),
        ("4주차 15일차 정리", (), (), "daily"),
        ("오늘의 학습 기록", (), (), "daily"),
        ("Daily Log", (), (), "daily"),
        ("[Week 04]", (), (), "weekly"),
        ("[Week 04] 회고", ("daily-log",), (), "weekly"),  # the title decides first
        ("4주차 주간 회고", (), (), "weekly"),
        ("[4주차]", (), (), "weekly"),
        ("회고", ("weekly-log",), (), "weekly"),
        ("정리", ("daily-log", "week04"), (), "daily"),
        ("정리", (), ("Daily & Weekly Log",), "note"),  # names both kinds: no decision
        ("정리", (), ("Daily & Weekly Log", "Weekly"), "weekly"),
        ("[Paper Review] Attention", ("paper-review",), ("Paper Review",), "note"),
        (None, (), (), "note"),
    ],
)
def test_kind_rules(title, tags, categories, kind):
    assert guess_kind(_post(title, tags, categories)) == kind


# --- writing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOOD)
def test_parse_dump_parse_gives_the_same_post(name):
    post = parse(name)

    again = parse_post(name, post.dump().encode())

    assert again == post
    assert again.body == post.body


@pytest.mark.parametrize("name", GOOD)
def test_dumping_is_stable_from_the_second_pass(name):
    first = parse(name).dump()
    second = parse_post(name, first.encode()).dump()
    third = parse_post(name, second.encode()).dump()

    assert second == first
    assert third == first


def test_dump_then_parse_gives_back_the_values():
    front = export_front_matter(
        title="[Week 04 / Day 015] 학습 기록",
        date=datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL),
        categories=["부스트캠프 AI Tech 3기", "Daily & Weekly Log"],
        tags=["부스트캠프AITech", "daily-log"],
        math=True,
        image={"path": "/assets/a.png", "alt": "그림: 1"},
        description="여러 줄\n설명: 둘째 줄",
        visibility="cohort",
        published=False,
        last_modified_at=datetime(2022, 2, 10, 1, 0, tzinfo=SEOUL),
        extra={"layout": "post", "version": "1.10", "flag": "yes", "when": "2022-02-09", "n": 3},
    )
    body = "## 본문\n\n{: .prompt-info }\n"

    post = parse_post("p.md", dump_post(front, body).encode())

    assert post.title == "[Week 04 / Day 015] 학습 기록"
    assert post.date == datetime(2022, 2, 9, 22, 40, tzinfo=SEOUL)
    assert post.categories == ["부스트캠프 AI Tech 3기", "Daily & Weekly Log"]
    assert post.tags == ["부스트캠프AITech", "daily-log"]
    assert post.math is True
    assert post.image == {"path": "/assets/a.png", "alt": "그림: 1"}
    assert post.description == "여러 줄\n설명: 둘째 줄"
    assert post.visibility == "cohort"
    assert post.published is False
    assert post.last_modified_at == datetime(2022, 2, 10, 1, 0, tzinfo=SEOUL)
    # Strings that look like numbers, booleans or dates stay strings.
    assert post.extra == {
        "layout": "post",
        "version": "1.10",
        "flag": "yes",
        "when": "2022-02-09",
        "n": 3,
    }
    assert post.body == body


def test_dump_writes_chirpy_style_yaml():
    text = dump_post(
        {"title": "학습 기록: 1일차", "tags": ["a b", "c,d", "한글"], "image": None, "pin": True},
        "본문\n",
    )

    assert text == (
        '---\ntitle: "학습 기록: 1일차"\ntags: [a b, "c,d", 한글]\nimage:\npin: true\n---\n본문\n'
    )
    assert parse_post("p.md", text.encode()).tags == ["a b", "c,d", "한글"]


def test_dump_normalizes_the_body_line_endings():
    assert dump_post({}, "a\r\nb\rc\n") == "---\n---\na\nb\nc\n"


def test_dump_keeps_comments_stable_beside_multiline_values():
    front = {"description": "line one\nline two", "image": {"path": "/a.png"}}
    comments = {"description": {"inline": "  # note"}, "image": {"inline": " # cover"}, "gone": {}}

    first = dump_post(front, "", comments)
    again = parse_post("p.md", first.encode())

    assert "image: # cover\n  path: /a.png\n" in first
    assert again.description == "line one\nline two"
    assert parse_post("p.md", again.dump().encode()).dump() == again.dump()


def test_export_front_matter_writes_the_date_in_the_cohort_zone():
    seoul = ZoneInfo("Asia/Seoul")

    front = export_front_matter(title="t", date=datetime(2022, 2, 9, 13, 40, tzinfo=UTC), tz=seoul)
    naive = export_front_matter(title="t", date=datetime(2022, 2, 9, 22, 40), tz=seoul)
    day = export_front_matter(title="t", date=date(2022, 2, 9), tz=seoul)

    assert front["date"] == "2022-02-09 22:40:00 +0900"
    assert naive["date"] == "2022-02-09 22:40:00 +0900"
    assert day["date"] == "2022-02-09"


def test_export_front_matter_orders_keys_and_leaves_out_defaults():
    front = export_front_matter(
        title="t",
        date=date(2022, 2, 9),
        categories=["c"],
        tags=["x"],
        math=None,
        image="/a.png",
        description="d",
        visibility="public",
        published=True,
        extra={"pin": True, "title": "must not override", "layout": "post"},
    )

    assert list(front) == [
        "title",
        "date",
        "categories",
        "tags",
        "image",
        "description",
        "visibility",
        "pin",
        "layout",
    ]
    assert front["title"] == "t"
    draft = export_front_matter(title="t", date=None, math=True, published=False)
    assert draft == {"title": "t", "math": True, "published": False}


# --- file names ------------------------------------------------------------------------------


def test_post_path_keeps_hangul_and_lowercases():
    assert post_path(date(2022, 2, 9), "[Week 04 / Day 015] 학습 기록") == (
        "_posts/2022-02-09-week-04-day-015-학습-기록.md"
    )
    assert post_path(date(2022, 2, 9), "Attention Is All You Need!!") == (
        "_posts/2022-02-09-attention-is-all-you-need.md"
    )
    assert post_path(date(2022, 2, 9), "C++ / Python_3.11 :: 정리?") == (
        "_posts/2022-02-09-c-python-3-11-정리.md"
    )


def test_post_path_is_stable_and_composes_hangul():
    decomposed = unicodedata.normalize("NFD", "학습 기록")

    assert post_path(date(2022, 2, 9), decomposed) == post_path(date(2022, 2, 9), "학습 기록")
    assert post_path(date(2022, 2, 9), "학습 기록") == "_posts/2022-02-09-학습-기록.md"


def test_post_path_is_bounded():
    path = post_path(date(2022, 2, 9), "아주 긴 제목 " * 40)
    slug = path.removeprefix("_posts/2022-02-09-").removesuffix(".md")

    assert len(slug.encode()) <= jekyll.SLUG_MAX_BYTES
    assert not slug.endswith("-")
    assert slug.startswith("아주-긴-제목-")


def test_post_path_of_an_empty_title():
    assert post_path(date(2022, 2, 9), "?!") == "_posts/2022-02-09-untitled.md"


def test_post_path_avoids_taken_paths():
    taken = {"_posts/2022-02-09-메모.md", "_posts/2022-02-09-메모-2.md"}

    assert post_path(date(2022, 2, 9), "메모", taken=taken) == "_posts/2022-02-09-메모-3.md"


# --- images in the body ----------------------------------------------------------------------


def test_image_refs_finds_markdown_and_html_images_in_order():
    refs = image_refs(parse("2022-02-10-week04-day016.md").body)

    assert refs == [
        "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-1.png",
        "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-2.png",
        "{{ site.baseurl }}/assets/img/posts/d016-3.png",
    ]


def test_image_refs_ignores_code_and_links_and_repeats():
    body = (
        "![a](x.png) [not an image](doc.pdf) ![again](x.png)\n"
        "`![inline](code.png)`\n"
        '~~~\n<img src="fenced.png">\n~~~\n'
        '![title](<with space.png> "t") ![paren](img(1).png) <IMG SRC=bare.png>\n'
        "![a [nested] alt](nested.png 'title')\n"
        '<img data-src="lazy.png" src="real.png">\n'
    )

    assert image_refs(body) == [
        "x.png",
        "with space.png",
        "img(1).png",
        "bare.png",
        "nested.png",
        "real.png",
    ]


def test_image_refs_of_the_seed_and_notion():
    assert image_refs(parse(SEED).body) == [
        "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d015-1.png"
    ]
    assert image_refs(parse("2022-02-16-notion-export.md").body) == [
        "Week%2004%20Day%20017%20%ED%95%99%EC%8A%B5%20%EA%B8%B0%EB%A1%9D%20"
        "3f2a9c8e1b7d4e6fa0c5b9d8e7f6a1b2/Untitled.png"
    ]


def test_rewrite_image_refs_replaces_only_those_references():
    body = parse("2022-02-10-week04-day016.md").body
    mapping = {
        "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-1.png": "/media/u/1.png",
        "/assets/img/posts/Boostcamp-AI-Tech/Daily-Log/week04/d016-2.png": "/media/u/2 b.png",
    }

    rewritten = rewrite_image_refs(body, mapping)

    assert '![transformer 구조](/media/u/1.png)\n{: width="400px" .align-center}' in rewritten
    assert '<img src="/media/u/2 b.png" width="60%" alt="코드">' in rewritten
    assert "{{ site.baseurl }}/assets/img/posts/d016-3.png" in rewritten
    assert rewritten.replace("/media/u/1.png", "X").count("X") == 1
    expected = body
    for old, new in mapping.items():
        expected = expected.replace(old, new)
    assert rewritten == expected
    assert image_refs(rewritten)[:2] == ["/media/u/1.png", "/media/u/2 b.png"]


def test_rewrite_image_refs_leaves_code_alone_and_quotes_when_needed():
    body = "![a](x.png)\n```\n![a](x.png)\n```\n<img src=x.png>\n"

    rewritten = rewrite_image_refs(body, {"x.png": "new dir/x.png"})

    assert rewritten == (
        '![a](<new dir/x.png>)\n```\n![a](x.png)\n```\n<img src="new dir/x.png">\n'
    )
    assert image_refs(rewritten) == ["new dir/x.png"]
