"""Embedded players: which hosts may be framed, and Chirpy's `{% include embed/… %}` tags.

Only the players of `logs.players` are framed, always sandboxed; an `<iframe>` from anywhere
else becomes a plain link to what it pointed at. The CSP's `frame-src` is built from the same
list, so the browser enforces it too.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from logs.players import PLAYERS

SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def allowed_frame(src: str) -> bool:
    """Whether `src` is an https URL of a known player (no credentials, no odd port)."""
    try:
        url = urlsplit(src.strip())
    except ValueError:
        return False
    prefixes = PLAYERS.get((url.hostname or "").lower(), ())
    path = unquote(url.path)
    return (
        url.scheme == "https"
        and url.port is None
        and "@" not in url.netloc
        and "\\" not in path
        and posixpath.normpath(path) == path.rstrip("/")  # no `..`: `/embed/../redirect`
        and any(path.startswith(prefix) for prefix in prefixes)
    )


def iframe(src: str, title: str = "") -> str:
    """A framed player, or a link when `src` is not one we frame."""
    src_attr = html.escape(src, quote=True)
    if not allowed_frame(src):
        return f'<a href="{src_attr}">{src_attr}</a>'
    title_attr = html.escape(title or "embedded player", quote=True)
    return (
        f'<iframe src="{src_attr}" title="{title_attr}" loading="lazy" '
        f'referrerpolicy="{REFERRER_POLICY}" allowfullscreen></iframe>'
    )


_ID = re.compile(r"^[\w-]{1,100}$")
_ARGUMENT = re.compile(r"""(\w+)\s*=\s*(?:'([^']*)'|"([^"]*)"|(\S+))""")
_LOCAL = re.compile(r"^/(?![/\\])[^\s\"'<>\\]*$")  # a path on this site: the entry's own uploads


def include(name: str, arguments: str) -> str | None:
    """HTML for Chirpy's `{% include embed/<name>.html … %}`, or None for another include."""
    args = {
        m[1]: next(v for v in m.groups()[1:] if v is not None)
        for m in _ARGUMENT.finditer(arguments)
    }
    video_id = args.get("id", "")
    if name in ("youtube", "bilibili", "twitch") and not _ID.match(video_id):
        return None
    if name == "youtube":
        player = iframe(f"https://www.youtube-nocookie.com/embed/{video_id}", "YouTube")
    elif name == "bilibili":
        player = iframe(f"https://player.bilibili.com/player.html?bvid={video_id}", "Bilibili")
    elif name == "twitch":
        # Twitch's player must be told the embedding site's host, which a pure renderer does not
        # know; the video is linked instead.
        url = f"https://www.twitch.tv/videos/{video_id}"
        player = f'<a href="{url}">{url}</a>'
    elif name in ("video", "audio") and _LOCAL.match(src := args.get("src", "")):
        title = html.escape(args.get("title", ""), quote=True)
        player = f'<{name} controls preload="metadata" src="{html.escape(src)}" title="{title}"></{name}>'
    else:
        return None
    return f'<div class="embed embed-{name}">{player}</div>'
