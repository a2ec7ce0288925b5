"""seed_demo brings the seed log's peer session and mentoring session to the demo team."""

from django.core.management import call_command

from logs.models import Comment, MentoringQuestion, Session


def test_seed_demo_adds_the_seed_sessions_idempotently(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    peer = Session.objects.get(kind="peer")
    mentoring = Session.objects.get(kind="mentoring")
    assert peer.team.name == "7조" and str(peer.date) == "2022-02-09"
    assert {"attention", "transformer", "LSTM"} <= {t.name for t in peer.tags.all()}
    assert [p.title for p in peer.problems.all()] == ["[BOJ] 원숭이 매달기"]
    assert "키워드 공유" in peer.summary_html
    questions = list(mentoring.questions.all())
    assert [q.number for q in questions] == [1, 2, 3, 4, 5]
    assert questions[4].question == "SGD와 Adam"
    assert all(q.answer_confirmed and q.answered_by.username == "mentor" for q in questions)
    assert MentoringQuestion.objects.count() == 5
    assert Comment.objects.filter(session=peer, author__username="mentor").count() == 1
