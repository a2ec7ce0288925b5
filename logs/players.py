"""The video and slide players Markdown may embed: host -> the path prefixes a player lives under.

A module of its own, with no imports, because two places read it: the Markdown pipeline
(`logs.markdown.embeds` frames only these) and the settings (the CSP's `frame-src`), which must not
load the whole pipeline to learn a list of hosts.
"""

PLAYERS: dict[str, tuple[str, ...]] = {
    "www.youtube-nocookie.com": ("/embed/",),
    "www.youtube.com": ("/embed/",),
    "youtube.com": ("/embed/",),
    "player.vimeo.com": ("/video/",),
    "player.bilibili.com": ("/player.html",),
    "www.slideshare.net": ("/slideshow/embed_code/",),
    "speakerdeck.com": ("/player/",),
    "docs.google.com": ("/presentation/d/",),
}
FRAME_ORIGINS = tuple(sorted(f"https://{host}" for host in PLAYERS))
