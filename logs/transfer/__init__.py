"""Blogs in and out: Jekyll (Chirpy) posts and their images.

- `jekyll.py` — parsing and writing a post, pure (bytes in, values out);
- `front_matter.py` — how `Entry.front_matter` keeps what the post said;
- `limits.py` — every size and count an import may bring;
- `sources.py` — reading files, folders, .zip archives and browser uploads, safely and lazily;
- `importer.py` — posts into entries (the database side);
- `exporter.py` — entries out as a Jekyll site, byte for byte as they came;
- `pending.py` — a blog uploaded in the browser and not imported yet.

The parsing modules (`jekyll`, `front_matter`, `sources`, `limits`) import no model
(`pyproject.toml` [tool.importlinter]). Pictures are made safe by `logs.images`, which the
editor's uploads use too.
"""
