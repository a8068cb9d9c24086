"""The portal's datelines ("August, 09 2019", "09/08/2019", ISO dates) read
as aware datetimes in the portal's time zone."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from ..article import TZ

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_EN_DATE = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$")
_VI_DATE = re.compile(r"^(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[\s,|-]+(\d{1,2})[:h](\d{2}))?$", re.I)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def parse_dateline(line: str) -> datetime | None:
    """The portal's datelines, as a datetime in Asia/Ho_Chi_Minh.

    English: "August, 09 2019" (also "August 9, 2019"). Vietnamese:
    "09/08/2019", day first. Returns None when the line is not a date.
    """
    s = line.strip()
    d: date | None = None
    hh = mm = 0
    try:
        if m := _EN_DATE.match(s):
            month = _MONTHS.get(m.group(1).lower())
            if month is None:
                return None
            d = date(int(m.group(3)), month, int(m.group(2)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        elif m := _VI_DATE.match(s):
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        elif m := _ISO_DATE.match(s):
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            hh, mm = int(m.group(4) or 0), int(m.group(5) or 0)
        else:
            return None
        return datetime.combine(d, time(hh, mm), tzinfo=TZ)
    except ValueError:
        return None


def too_far_ahead(published: datetime, now: datetime, tolerance: timedelta) -> str | None:
    """Why ``published`` cannot be right, or None. A date in the future
    would pin its item to the top of every feed (feeds sort newest first)
    for as long as the date lies ahead; clocks and time zones differ, so a
    small lead (``tolerance``) is allowed."""
    if published <= now + tolerance:
        return None
    hours = tolerance.total_seconds() / 3600
    return (f"dated {published.isoformat()}, more than {hours:g} h after now "
            f"({now.astimezone(published.tzinfo).isoformat()})")
