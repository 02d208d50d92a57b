"""Calendar steps the signing rules are timed by."""

from __future__ import annotations

import datetime as dt


def first_of_next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def new_year_after(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1)


def is_year_end(day: dt.date) -> bool:
    return day.month == 12 and day.day == 31
