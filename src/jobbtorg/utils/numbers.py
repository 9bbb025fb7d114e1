"""Figures as people read them: a share (0–1) is shown as a percentage with one decimal, the same on every
page and in every export, so a page can never show something other than its download."""

from decimal import Decimal


def percent(fraction: float | Decimal | None) -> float | None:
    """A share (0.148) as percent (14.8), or a difference of shares as percentage points; None stays None."""
    if fraction is None:
        return None
    return round(100 * float(fraction), 1)
