"""`manage.py rerender`: stored HTML from an older Markdown pipeline brought up to date."""

from io import StringIO

from django.core.management import call_command

from logs.markdown import PIPELINE_VERSION
from logs.models import Comment, Entry, MentoringQuestion, Session
from tests import factories


def _made_by_an_older_pipeline(model, **html):
    model.objects.update(markdown_version=0, **html)


def test_it_rerenders_every_kind_of_stored_markdown_and_resumes(learner, cohort, team, mentor):
    entry = factories.make_entry(learner, cohort, body='<div align="center">가운데</div>')
    session = factories.make_session(team, summary="$x_1$")
    question = MentoringQuestion.objects.create(
        session=session, number=1, question="질문", answer="<kbd>Ctrl</kbd>"
    )
    comment = Comment.objects.create(author=mentor, entry=entry, body="~~취소~~")
    _made_by_an_older_pipeline(Entry, body_html="&lt;div&gt;")
    _made_by_an_older_pipeline(Session, summary_html="old")
    _made_by_an_older_pipeline(MentoringQuestion, answer_html="old")
    _made_by_an_older_pipeline(Comment, body_html="old")

    out = StringIO()
    call_command("rerender", stdout=out)

    entry.refresh_from_db()
    session.refresh_from_db()
    question.refresh_from_db()
    comment.refresh_from_db()
    assert entry.body_html == '<div align="center">가운데</div>'
    assert "<math" in session.summary_html and session.has_math
    assert question.answer_html == "<p><kbd>Ctrl</kbd></p>"
    assert comment.body_html == "<p><del>취소</del></p>"
    versions = {entry.markdown_version, session.markdown_version, question.markdown_version}
    assert versions | {comment.markdown_version} == {PIPELINE_VERSION}
    assert "4 row(s) re-rendered" in out.getvalue()

    again = StringIO()
    call_command("rerender", stdout=again)
    assert "0 row(s) re-rendered" in again.getvalue()


def test_new_saves_record_the_pipeline_version(learner, cohort):
    entry = factories.make_entry(learner, cohort, body="# 제목")
    assert Entry.objects.get(pk=entry.pk).markdown_version == PIPELINE_VERSION
