"""Time as Norwegian readers read it: «25.11.2026 kl. 15:02», Norwegian time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OSLO = "Europe/Oslo"


def local_time(iso: str) -> str:
    """An ISO 8601 time (as the manifest keeps it, exact and in UTC) shown in Norwegian time,
    daylight saving included; the text as it is when it is not a time."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        moment = moment.astimezone(ZoneInfo(OSLO))
    except ZoneInfoNotFoundError:  # no time-zone data on the machine: say it is UTC
        return moment.astimezone(dt.UTC).strftime("%d.%m.%Y kl. %H:%M UTC")
    return moment.strftime("%d.%m.%Y kl. %H:%M")
