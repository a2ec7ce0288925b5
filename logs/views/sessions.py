"""Team sessions: a team writes each peer or mentoring session once, and it shows beside every
member's log of that day. Office hours and special lectures belong to the whole cohort."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import Cohort, Membership
from logs import access, locking, notify, snippets
from logs.access import lookups
from logs.forms.sessions import (
    AnswerForm,
    ProblemFormSet,
    QuestionFormSet,
    SessionForm,
)
from logs.models import Entry, MentoringQuestion, Session
from logs.views.comments import _base_url, comment_context


def _parse_date(raw: str | None) -> dt.date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:  # well-formed but impossible, e.g. 2022-13-45
        return None


def _default_date(cohort: Cohort, raw: str | None) -> dt.date:
    calendar = cohort.calendar
    date = _parse_date(raw)
    if date is None:
        date = min(max(calendar.today(), calendar.start), calendar.end)
    return date


def _default_title(cohort: Cohort, kind: str, date: dt.date) -> str:
    return f"[{cohort.calendar.label(date)}] {capfirst(Session.Kind(kind).label)}"


# --- Writing -----------------------------------------------------------------------------------


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    """`?team=ID&kind=peer&date=YYYY-MM-DD` for a team session; `?cohort=ID|slug&kind=lecture`
    for a cohort-wide one. Without either, the user's own team (or the first team they mentor)."""
    params = request.GET
    if params.get("team"):
        team = lookups.team_for_new_session_or_404(request.user, params["team"])
        cohort = team.cohort
    elif params.get("cohort"):
        team = None
        cohort = lookups.member_cohort_or_404(request.user, params["cohort"])
        if not access.can_create_cohort_session(request.user, cohort.pk):
            raise PermissionDenied
    else:
        r = access.roles(request.user)
        team_ids = sorted(r.teams) or sorted(r.mentored_teams)
        if not team_ids:
            raise Http404
        team = lookups.team_for_new_session_or_404(request.user, str(team_ids[-1]))
        cohort = team.cohort
    kinds = (
        [Session.Kind.PEER, Session.Kind.MENTORING]
        if team
        else [Session.Kind.OFFICE_HOURS, Session.Kind.LECTURE]
    )
    kind = params.get("kind") if params.get("kind") in kinds else kinds[0]
    date = _default_date(cohort, params.get("date"))
    session = Session(cohort=cohort, team=team, kind=kind, date=date)
    initial = {
        "kind": kind,
        "date": date,
        "title": _default_title(cohort, kind, date),
        "host": request.user.pk,
    }
    if team:
        # Whoever writes a team session is one of its people (a team learner or mentor).
        initial["attendees"] = [request.user.pk]
    return _edit_session(request, session, initial=initial)


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = lookups.session_or_404(request.user, pk, edit=True)
    return _edit_session(request, session)


@login_required
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a session (with its problems, questions and comments) after a confirmation: the
    team's learners and mentors may, or for a cohort-wide session its mentors and operators."""
    session = lookups.session_or_404(request.user, pk, edit=True)
    if not access.can_delete_session(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        title, day = session.title, reverse("logs:day", args=[session.cohort.slug, session.date])
        session.delete()
        messages.success(request, _("The session “%(title)s” was deleted.") % {"title": title})
        return redirect(day)
    return render(
        request,
        "logs/session_confirm_delete.html",
        {"session": session, "comment_count": session.comments.count()},
    )


def _save_questions(formset, session: Session) -> None:
    """Save the questions in form order, numbered 1, 2, 3… without gaps."""
    kept = []
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                form.instance.delete()
        elif form.instance.pk or form.has_changed():
            kept.append(form)
    # Two steps, so renumbering never collides with the unique (session, number) constraint.
    session.questions.update(number=F("number") + 10_000)
    for number, form in enumerate(kept, start=1):
        question = form.save(commit=False)
        question.session = session
        question.number = number
        question.save()


def _save_problems(formset, session: Session) -> None:
    position = 0
    for form in formset.forms:
        if formset._should_delete_form(form):
            if form.instance.pk:
                form.instance.delete()
        elif form.instance.pk or form.has_changed():
            problem = form.save(commit=False)
            problem.session = session
            problem.position = position
            problem.save()
            position += 1


def _edit_session(
    request: HttpRequest, session: Session, initial: dict | None = None
) -> HttpResponse:
    is_new = session.pk is None
    team, cohort = session.team, session.cohort
    data = request.POST if request.method == "POST" else None
    form = SessionForm(data, instance=session, cohort=cohort, team=team, initial=initial)
    problems = ProblemFormSet(data, instance=session, prefix="problems")
    is_learner = team is not None and team.pk in access.roles(request.user).teams
    questions = (
        QuestionFormSet(
            data,
            instance=session,
            prefix="questions",
            team=team,
            asker=request.user if is_learner else None,
        )
        if team
        else None
    )
    conflict = None
    if data is not None:
        valid = form.is_valid() & problems.is_valid() & (questions is None or questions.is_valid())
        if valid:
            with transaction.atomic():
                if is_new or locking.claim_version(session, form.cleaned_data.get("version")):
                    saved = form.save(commit=False)
                    if is_new:
                        saved.created_by = request.user
                    saved.save()
                    form.save_m2m()
                    _save_problems(problems, saved)
                    if questions is not None:
                        _save_questions(questions, saved)
                    messages.success(request, _("The session was saved."))
                    return redirect(saved)
                conflict = Session.objects.select_related("host").get(pk=session.pk)
            # Keep everything typed; the next save knowingly replaces the newer version.
            refreshed: QueryDict = data.copy()
            refreshed["version"] = str(conflict.version)
            form.data = refreshed
        else:
            messages.error(
                request, _("The session was not saved: please fix the fields marked below.")
            )
    if is_new and team:
        same_day = Session.objects.filter(team=team, date=session.date, kind=session.kind).first()
    else:
        same_day = None
    return render(
        request,
        "logs/session_form.html",
        {
            "form": form,
            "problems": problems,
            "questions": questions,
            "session": session,
            "team": team,
            "cohort": cohort,
            "is_new": is_new,
            "conflict": conflict,
            "same_day": same_day,
        },
        status=409 if conflict else (400 if data is not None else 200),
    )


# --- Reading -----------------------------------------------------------------------------------


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = lookups.session_or_404(request.user, pk, sessions=Session.objects.for_page())
    user = request.user
    can_edit = access.can_edit_session(user, session)
    is_mentor = access.is_mentor_of(user, session)
    questions = list(session.questions.select_related("asked_by", "answered_by"))
    can_answer = access.can_answer_question(user, session)
    member_logs = []
    if session.team_id:
        members = Membership.objects.filter(team_id=session.team_id, role=Membership.Role.LEARNER)
        member_logs = list(
            Entry.objects.visible_to(user)
            .filter(
                cohort_id=session.cohort_id,
                learning_date=session.date,
                author_id__in=members.values("user_id"),
            )
            .for_links()
            .order_by("author__display_name", "author__username", "created_at")
        )
    context = {
        "session": session,
        "label": session.cohort.calendar.label(session.date),
        "attendees": list(session.attendees.order_by("display_name", "username")),
        "keywords": session.keyword_names,
        "problems": session.problem_list,
        "questions": questions,
        "open_questions": sum(1 for q in questions if q.status != q.Status.CONFIRMED),
        "can_edit": can_edit,
        "can_answer": can_answer,
        "is_mentor": is_mentor,
        "member_logs": member_logs,
        **comment_context(request, session, thread_count=session.thread_count),
    }
    return render(request, "logs/session_detail.html", context)


@login_required
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a mentoring question. The team's mentor answers (and so confirms); a team learner
    may write the mentor's answer down, unconfirmed until the mentor confirms it. Two people
    answering at once: the second save is a conflict, shown beside what is stored (409)."""
    question = get_object_or_404(MentoringQuestion.objects.select_related("asked_by"), pk=pk)
    session = lookups.session_or_404(request.user, question.session_id)
    question.session = session
    if not access.can_answer_question(request.user, session):
        raise PermissionDenied
    is_mentor = access.is_mentor_of(request.user, session)
    previous = question.answer
    form = AnswerForm(request.POST or None, instance=question)
    conflict = None
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if locking.claim_version(question, form.cleaned_data.get("version")):
                answer = form.save(commit=False)
                changed = answer.answer != previous
                if is_mentor:
                    # Confirming a learner's note keeps them as its writer.
                    if changed or not answer.answered_by_id:
                        answer.answered_by = request.user
                    answer.answer_confirmed = True
                else:
                    answer.answered_by = request.user
                    answer.answer_confirmed = False
                answer.save()
                if changed or is_mentor:
                    notify.answer_saved(answer, request.user, _base_url(request))
                messages.success(request, _("The answer was saved."))
                return redirect(answer)
            conflict = MentoringQuestion.objects.select_related("answered_by").get(pk=pk)
        # Keep what was typed; saving again knowingly replaces the stored answer.
        refreshed: QueryDict = request.POST.copy()
        refreshed["version"] = str(conflict.version)
        form.data = refreshed
    return render(
        request,
        "logs/question_answer.html",
        {
            "form": form,
            "question": question,
            "session": session,
            "is_mentor": is_mentor,
            "conflict": conflict,
            "diff": locking.diff_lines(conflict.answer, form.data.get("answer", ""))
            if conflict
            else None,
        },
        status=409 if conflict else (400 if form.errors else 200),
    )


@login_required
def day_sessions_snippet(request: HttpRequest) -> HttpResponse:
    """The day's sessions of the user's teams (and the cohort-wide ones) as Markdown to insert
    into a daily log: `?date=YYYY-MM-DD&cohort=ID|slug&format=link|summary`."""
    date = _parse_date(request.GET.get("date"))
    cohort_key = request.GET.get("cohort", "")
    fmt = request.GET.get("format", "link")
    if date is None or not cohort_key or fmt not in {"link", "summary"}:
        return HttpResponseBadRequest(
            _("Give a date (YYYY-MM-DD), a cohort and format=link or format=summary."),
            content_type="text/plain; charset=utf-8",
        )
    cohort = lookups.member_cohort_or_404(request.user, cohort_key)
    sessions = (
        Session.objects.visible_to(request.user)
        .on_day(cohort.pk, date)
        .of_viewers_teams(request.user)
        .order_by("created_at")
    )
    base = _base_url(request)
    if fmt == "link":
        text = snippets.session_links(sessions, base)
    else:
        text = snippets.session_summaries(sessions.prefetch_related("problems", "questions"), base)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
