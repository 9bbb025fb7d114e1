"""Small-group suppression — the one rule for every page, export and API that shows counts of people outside
the unit that works with them (the dashboard, the analyst overview, the creaming check, the assignment
follow-up, the fair comparison). docs/indicators.md, "Suppression", says why it is this rule.

1. **Small counts.** A count of fewer than SUPPRESS_BELOW (5) people — zero included — is never shown: it is
   shown as "<5". A zero is withheld like 1–4 because it tells something certain about every member of a
   group ("none of the people of this district referred in March left for work"); "<5" never tells "none"
   from "a few".
2. **Figures built on counts.** A share is withheld ("–") when the people it is about (its base), the people
   with the trait (the numerator) or those without it (base − numerator) are withheld: each can be worked out
   from the share and the base. A median, an average or a sum of money is withheld when its base is.
3. **No working out by subtraction (secondary suppression).** Where cells add up to a shown total (months to
   the period, groups to the whole, categories to their sum), no line may hold exactly one withheld cell:
   the next-smallest cell of that line is withheld too ("–"), or the total when nothing else is left, until
   every line holds none or at least two.

Withheld figures are `Withheld` strings ("<5", "–"): pages and exports print them as they are; charts and
APIs that want numbers use `numeric()` (None).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

SUPPRESS_BELOW = 5


class Withheld(str):
    """A figure that is not shown, and the text shown instead."""

    __slots__ = ()


SMALL = Withheld(f"<{SUPPRESS_BELOW}")  # a count of fewer than five people
HIDDEN = Withheld("–")  # a figure resting on such a count, or one that would reveal it


def is_small(count) -> bool:
    """A count of people that must not be shown: 0–4 (None — nobody counted — too)."""
    return count is None or count < SUPPRESS_BELOW


def count(value, *, suppress: bool = True):
    """A count as shown: the number, or "<5"."""
    return SMALL if suppress and is_small(value) else value


def share_is_shown(numerator, base) -> bool:
    """Whether a share numerator / base may be shown: neither the base, nor the people with the trait, nor
    those without it are a small count."""
    if is_small(base) or numerator is None:
        return False
    return not (is_small(numerator) or is_small(base - numerator))


def is_withheld(value) -> bool:
    return isinstance(value, Withheld)


def numeric(value):
    """The value for a chart or an API: None when withheld."""
    return None if is_withheld(value) else value


def numeric_tree(data):
    """`data` (dicts and lists) with every withheld figure as None, for an API."""
    if isinstance(data, dict):
        return {key: numeric_tree(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [numeric_tree(value) for value in data]
    return numeric(data)


def secondary(
    values: Mapping[Hashable, int | None],
    lines: Iterable[tuple[Iterable[Hashable], Hashable | None]],
    withheld: set[Hashable],
) -> set[Hashable]:
    """The cells to withhold besides `withheld` (the small counts) so that none can be worked out by
    subtraction. `values`: cell → count; `lines`: (the cells of a line, the cell of its shown total or None).
    Returns the cells added. Each round withholds, in every line with exactly one withheld cell, the smallest
    cell still shown (a total only when no other cell is left), until no such line remains."""
    lines = [(list(cells), total) for cells, total in lines]
    hidden = set(withheld)
    added: set[Hashable] = set()
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            members = [c for c in cells if c in values]
            line = members + ([total] if total is not None and total in values else [])
            if sum(1 for c in line if c in hidden) != 1:
                continue
            shown = [c for c in members if c not in hidden]
            if not shown and total is not None and total in values and total not in hidden:
                shown = [total]
            if not shown:
                continue
            pick = min(shown, key=lambda c: (values[c] if values[c] is not None else 0, str(c)))
            hidden.add(pick)
            added.add(pick)
            changed = True
    return added


def withhold(values: Mapping[Hashable, int | None], lines=()) -> dict[Hashable, Withheld]:
    """Every cell of a table of counts to withhold, with the text to show: "<5" for the small counts, "–" for
    those withheld so that a small one cannot be worked out (`secondary`)."""
    small = {cell for cell, value in values.items() if is_small(value)}
    extra = secondary(values, lines, small)
    return {**dict.fromkeys(small, SMALL), **dict.fromkeys(extra, HIDDEN)}
