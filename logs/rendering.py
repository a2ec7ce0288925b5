"""Where models meet the Markdown pipeline (`logs.markdown`, which stays pure).

HTML is rendered once, on save, and stored; pages never render Markdown per request.
"""

from django.utils.safestring import SafeString, mark_safe

from logs import markdown


def render_into(obj, field: str) -> None:
    """Render `obj.<field>` into `<field>_html`, `toc`, `excerpt` and `has_math`."""
    rendered = markdown.render(getattr(obj, field) or "")
    setattr(obj, f"{field}_html", rendered.html)
    obj.toc = [{"level": t.level, "id": t.id, "title": t.title} for t in rendered.toc]
    obj.excerpt = rendered.excerpt
    obj.has_math = rendered.has_math


def markdownify(text: str) -> SafeString:
    """The markdownx preview: the same pipeline and sanitizer as saved pages."""
    return mark_safe(markdown.render(text).html)


def render_short(text: str) -> str:
    """Comments and mentoring answers: the comment flavour of the pipeline (no TOC, same sanitizer)."""
    return markdown.render_comment(text or "")
