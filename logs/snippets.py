"""The Markdown a daily log borrows from the day's sessions: links, or summaries shaped like the
seed log's 피어세션 요약 / 멘토링 요약 sections. Pure apart from reading the given objects."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from logs.models import Session


def _indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def session_link(session: Session, base_url: str = "") -> str:
    """A reference to the session as a list item: its kind and title, linked."""
    title = session.title.replace("[", "\\[").replace("]", "\\]")
    return f"- [{session.get_kind_display()} · {title}]({base_url}{session.get_absolute_url()})"


def session_links(sessions: Iterable[Session], base_url: str = "") -> str:
    lines = [session_link(s, base_url) for s in sessions]
    return "\n".join(lines) + ("\n" if lines else "")


def session_summary(session: Session, base_url: str = "") -> str:
    """One session as a log section. Needs `problems` and `questions` prefetched."""
    if session.kind == Session.Kind.PEER:
        heading = "## **👥 " + _("Peer session summary") + "**"
    elif session.kind == Session.Kind.MENTORING:
        heading = "## **🏫 " + _("Mentoring summary") + "**"
    else:
        heading = f"## **{session.get_kind_display()}: {session.title}**"
    parts = [heading]
    questions = list(session.questions.all())
    if questions:
        lines = []
        for q in questions:
            lines.append(f"{q.number}. **{' '.join(q.question.split())}**")
            lines.append(_indent(q.answer) if q.answer else "    - " + _("(not answered yet)"))
        parts.append("\n".join(lines))
    if session.summary.strip():
        parts.append(session.summary.strip())
    problems = list(session.problems.all())
    if problems:
        items = [f"- [{p.title}]({p.url})" if p.url else f"- {p.title}" for p in problems]
        parts.append("### **" + _("Coding-test study") + "**\n" + "\n".join(items))
    parts.append(f"[{_('Open the session')}]({base_url}{session.get_absolute_url()})")
    return "\n\n".join(parts) + "\n"


def session_summaries(sessions: Iterable[Session], base_url: str = "") -> str:
    return "\n<br>\n\n".join(session_summary(s, base_url) for s in sessions)
