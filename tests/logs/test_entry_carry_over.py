"""The new daily log's body: the cohort's template with yesterday's open tasks carried over."""

from pathlib import Path

from accounts.models import DEFAULT_DAILY_TEMPLATE, DEFAULT_WEEKLY_TEMPLATE
from logs.entries import carried_tasks, carry_over, open_tasks, sections
from logs.transfer import jekyll

SEED = Path(__file__).parents[1] / "fixtures" / "jekyll" / "2022-02-09-week04-day015.md"


def seed_body() -> str:
    return jekyll.parse_post(SEED.name, SEED.read_bytes()).body


def test_it_finds_the_seeds_open_tasks_with_their_sub_items():
    assert open_tasks(seed_body()) == [
        "- [ ] 강의 수강",
        "    - [Data Viz] 5-1, 2, 3강",
        "- [ ] 오피스아워",
    ]


def test_it_puts_them_under_the_today_heading_of_the_default_template():
    body = carry_over(DEFAULT_DAILY_TEMPLATE, seed_body())
    today = body.split("## **👥 피어세션 요약**")[0]
    assert today == (
        "## **📝 오늘 한 일**\n- [ ] 강의 수강\n    - [Data Viz] 5-1, 2, 3강\n- [ ] 오피스아워\n\n"
    )
    # Tomorrow's section of the new log starts empty again.
    assert body.endswith("## **🚀 내일 할 일**\n")


def test_they_replace_the_empty_placeholder_of_a_template_that_has_one():
    template = "## 📝 오늘 한 일\n- [ ] \n\n## 회고\n"
    assert carry_over(template, "## 내일 할 일\n- [ ] 남은 일\n") == (
        "## 📝 오늘 한 일\n- [ ] 남은 일\n\n## 회고\n"
    )


def test_unfinished_tasks_of_today_come_over_too_before_tomorrows():
    previous = (
        "## 📝 오늘 한 일\n- [x] 끝낸 일\n- [ ] 못 끝낸 일\n    - [ ] 세부 1\n    - [x] 세부 2\n"
        "\n## 🚀 내일 할 일\n- [ ] 새 계획\n"
    )
    assert open_tasks(previous) == [
        "- [ ] 못 끝낸 일",
        "    - [ ] 세부 1",
        "    - [x] 세부 2",
        "- [ ] 새 계획",
    ]


def test_a_task_in_both_sections_comes_over_once_with_its_sub_items():
    previous = (
        "## 오늘 한 일\n- [ ] 강의   수강\n    - 5강\n- [ ] 과제\n"
        "## 내일 할 일\n- [ ]  강의 수강 \n    - 6강\n- [ ] 과제\n- [ ] 오피스아워\n"
    )
    tasks = carried_tasks(previous)
    assert [task.text for task in tasks] == ["강의   수강", "과제", "오피스아워"]
    assert tasks[0].lines == ("- [ ] 강의   수강", "    - 5강")
    assert open_tasks(previous) == [
        "- [ ] 강의   수강",
        "    - 5강",
        "- [ ] 과제",
        "- [ ] 오피스아워",
    ]


def test_the_new_default_template_has_no_placeholder_or_spacer():
    assert "<br>" not in DEFAULT_DAILY_TEMPLATE and "<br>" not in DEFAULT_WEEKLY_TEMPLATE
    for template in (DEFAULT_DAILY_TEMPLATE, DEFAULT_WEEKLY_TEMPLATE):
        for line in template.splitlines():
            assert line.strip() not in {"-", "- [ ]", "*"}, line


def test_it_leaves_checked_and_empty_tasks_behind():
    previous = "## 🚀 내일 할 일\n- [x] 끝낸 일\n- [ ] \n- [ ] 남은 일\n"
    assert open_tasks(previous) == ["- [ ] 남은 일"]


def test_it_returns_the_template_unchanged_when_nothing_is_open():
    assert carry_over(DEFAULT_DAILY_TEMPLATE, None) == DEFAULT_DAILY_TEMPLATE
    assert (
        carry_over(DEFAULT_DAILY_TEMPLATE, "## 내일 할 일\n- [x] 다 했다\n")
        == DEFAULT_DAILY_TEMPLATE
    )
    assert (
        carry_over(DEFAULT_DAILY_TEMPLATE, "내일 할 일이 없는 자유 형식의 글")
        == DEFAULT_DAILY_TEMPLATE
    )


def test_it_ignores_headings_inside_fenced_code():
    previous = (
        "```md\n## 내일 할 일\n- [ ] 코드 속 가짜 할 일\n```\n## 내일 할 일\n- [ ] 진짜 할 일\n"
    )
    assert open_tasks(previous) == ["- [ ] 진짜 할 일"]


def test_the_tomorrow_section_ends_at_the_next_heading_of_its_level():
    previous = "## 내일 할 일\n- [ ] 할 일\n### 세부\n- [ ] 세부 할 일\n## 다른 절\n- [ ] 다른 절\n"
    # Its sub-sections belong to it; the next level-2 section does not.
    assert open_tasks(previous) == ["- [ ] 할 일", "- [ ] 세부 할 일"]
    assert [s.title for s in sections(previous.split("\n"))] == ["내일 할 일", "세부", "다른 절"]


def test_it_adds_the_tasks_under_the_heading_when_the_template_has_no_placeholder():
    template = "## 📝 오늘 한 일\n오늘은:\n\n## 회고\n"
    assert carry_over(template, "## 내일 할 일\n- [ ] 남은 일\n") == (
        "## 📝 오늘 한 일\n- [ ] 남은 일\n오늘은:\n\n## 회고\n"
    )


def test_it_adds_a_today_section_when_the_template_has_none():
    assert carry_over("## 회고\n", "## 내일 할 일\n- [ ] 남은 일\n") == (
        "## **📝 오늘 한 일**\n- [ ] 남은 일\n\n## 회고\n"
    )


def test_it_reindents_tasks_that_were_indented_by_up_to_three_spaces():
    previous = "## 내일 할 일\n  * [ ] 들여쓴 할 일\n      * 세부\n"
    assert open_tasks(previous) == ["* [ ] 들여쓴 할 일", "    * 세부"]


def test_it_reads_windows_line_endings():
    previous = "## 내일 할 일\r\n- [ ] 남은 일\r\n"
    assert open_tasks(previous) == ["- [ ] 남은 일"]
