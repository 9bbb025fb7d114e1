"""Who may review the read log — the rule in the docstring. The pages and the API ask this function; which
reads a user sees is `ReadLog.objects.visible_to` (querysets)."""


def can_review_reads(user) -> bool:
    """A unit head (`audit.view_readlog`) reviews who read the records of their unit's people, and the reads
    by their unit's staff."""
    return user.is_unit_head and user.has_perm("audit.view_readlog")
