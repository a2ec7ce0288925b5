"""Reading time and the "updated" date of the entry page (logs/reading.py)."""

import datetime as dt

from logs.reading import reading_minutes, updated_on


def test_korean_is_counted_in_characters_not_space_separated_words():
    # 2,500 syllables in 500 space-separated "words": 5 minutes, not 500 / 230 ≈ 2.
    assert reading_minutes("가나다라마 " * 500) == 5
    assert reading_minutes("학" * 1500) == 3


def test_latin_text_is_counted_in_words():
    assert reading_minutes(" ".join(["attention"] * 920)) == 4


def test_mixed_korean_and_english_add_up():
    text = "트랜스포머는 " * 250 + "self attention " * 115  # 1,500 chars + 230 words
    assert reading_minutes(text) == 4


def test_code_weighs_less_than_prose():
    code_line = "scores = query @ key.transpose(-2, -1)\n"
    fenced = "```python\n" + code_line * 200 + "```\n"
    prose = code_line * 200
    assert reading_minutes(fenced) < reading_minutes(prose)
    assert reading_minutes(fenced) == 2  # 1,200 words at 600 a minute


def test_link_targets_tags_and_attribute_lists_are_not_read():
    link = "[글](https://example.com/a/very/long/path/with/many/words/in/it) "
    assert reading_minutes(link * 100) == reading_minutes("글 " * 100)
    assert reading_minutes('<img src="a b c d e f g h">\n{: width="400" }\n' * 300) == 1


def test_a_short_or_empty_text_takes_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes("## 제목") == 1


def test_an_unclosed_fence_runs_to_the_end_as_code():
    assert reading_minutes("```\n" + "word " * 1200) == 2


def test_updated_shows_only_a_change_on_a_later_day():
    day = dt.date(2022, 2, 9)
    assert updated_on(day, day, day) is None
    # written a day late for the day before: not an update
    assert updated_on(day, day + dt.timedelta(days=1), day + dt.timedelta(days=1)) is None
    assert updated_on(day, day, dt.date(2022, 2, 12)) == dt.date(2022, 2, 12)
    # imported years later, never touched since
    assert updated_on(day, dt.date(2026, 12, 5), dt.date(2026, 12, 5)) is None
