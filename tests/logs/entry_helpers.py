"""Helpers shared by the entry tests (plain functions, not fixtures)."""

import datetime as dt
import io

from PIL import Image

from logs.models import Entry

SEED_DAY = dt.date(2022, 2, 9)  # Week 04 / Day 015


def png_bytes(size=(4, 3), fmt="PNG", color="red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def editor_post(entry: Entry | None = None, **fields) -> dict:
    """What the editor form posts, from an entry (or defaults), overridden by `fields`."""
    data = {
        "learning_date": (entry.learning_date if entry else SEED_DAY).isoformat(),
        "title": entry.title if entry else "",
        "body": entry.body if entry else "## 오늘 한 일\n- [x] 강의 수강\n",
        "tags": ", ".join(t.name for t in entry.tags.all()) if entry else "",
        "visibility": entry.visibility if entry else "cohort",
        "status": entry.status if entry else "published",
        "version": entry.version if entry else "",
    }
    data.update(fields)
    return data
