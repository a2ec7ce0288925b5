"""The demo: the seed example as learner's log of 2022-02-09, rendered right, loaded once."""

from django.core.management import call_command

from logs.models import Entry

SEED_TITLE = "[Week 04 / Day 015] 학습 기록"


def load(capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_it_loads_the_seed_example_and_a_few_logs_once(db, capsys):
    assert "Created" in load(capsys)
    count = Entry.objects.count()
    assert count >= 5
    assert "Created" not in load(capsys)
    assert Entry.objects.count() == count
    visibilities = set(Entry.objects.values_list("visibility", flat=True))
    assert visibilities == {"private", "cohort", "public"}


def test_the_seed_example_renders_its_structure(db, capsys, client):
    load(capsys)
    entry = Entry.objects.get(source_name="2022-02-09-week04-day015.md")
    assert (entry.author.username, entry.kind, entry.title) == ("learner", "daily", SEED_TITLE)
    assert (str(entry.learning_date), entry.week, entry.day_number) == ("2022-02-09", 4, 15)
    assert entry.stage.slug == "lv1-u-stage"
    assert sorted(t.name for t in entry.tags.all()) == sorted(
        ["부스트캠프AITech", "daily-log", "week04", "lv1-u-stage"]
    )
    html = entry.body_html
    assert html.count("<ul") >= 10 and "<ol>" in html
    # The blockquote sits inside the nested LSTM list, with the inline math and the picture.
    quote = html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]
    assert "<math" in quote and "<img" in quote
    assert [item["title"] for item in entry.toc][:3] == [
        "📝 오늘 한 일",
        "👥 피어세션 요약",
        "키워드 공유",
    ]
    assert entry.has_math

    # Its picture is a real upload, shown to the cohort and not to a visitor.
    upload = entry.uploads.get()
    assert upload.url in entry.body
    client.force_login(
        Entry.objects.get(author__username="learner2", learning_date="2022-02-09").author
    )
    assert client.get(upload.url).status_code == 200
    assert client.get(f"/entries/{entry.pk}/").status_code == 200
    client.logout()
    assert client.get(upload.url).status_code == 404
