"""Issue 16: the accessibility crawl. Every role's demo login (staff of every role, provider staff and the
participant portal) logs in through the real form and crawls the pages it reaches from its menus and its
start page, breadth-first over same-origin links (bounded depth, at most PAGES_PER_ROLE pages per role; at
most SAME_SHAPE pages per URL shape, so ten people's pages count as one or two). Each page is checked at
1280 px and at 390 px width with axe-core and for horizontal overflow (WCAG 2.1 1.4.10; tables scroll inside
their own `.table-scroll` region, which does not widen the page). Any critical or serious violation or any
overflow fails the test with the role, URL, width and the violation.

The summary table (role, pages, widths, violations, overflows) is printed and written to
`$JOBBTORG_A11Y_REPORT` when that is set (the closing note's figures come from it), and to
/work/reports/a11y-crawl.txt when that folder exists."""

import os
import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from jobbtorg.demo import seed as demo_seed

from .conftest import settled

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
PAGES_PER_ROLE = 25
MAX_DEPTH = 2  # the start page (0), what its menus and links lead to (1), and one step further (2)
SAME_SHAPE = 2  # pages per URL shape (/personer/<id>/ is one shape)
SERIOUS = {"critical", "serious"}
# Links the crawl does not follow: signing out, Django's own admin site, the API, files to download.
SKIP_PATH = re.compile(
    r"^/(logga-ut|admin|api|static|media)/|\.(pdf|csv|xlsx|zip|json|txt)$|/(pdf|csv|fil|export)/",
    re.IGNORECASE,
)
LINKS = """[...document.querySelectorAll('header a[href], nav a[href], main a[href]')]
  .filter(a => !a.hasAttribute('download') && !a.closest('form') && (a.target || '_self') === '_self')
  .map(a => a.href)"""
# The document is wider than the window (the page scrolls sideways); and which elements stick out — not
# counting what is inside a .table-scroll region, which scrolls by itself.
OVERFLOW = """(() => {
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (over <= 0) return [0, []];
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    if (e.parentElement && e.parentElement.closest('.table-scroll')) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1);
  }).slice(0, 6).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().replace(/\\s+/g, '.') : '')
      + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');
  return [over, wide];
})()"""
AXE_OPTIONS = {"resultTypes": ["violations"]}  # every rule axe-core runs by default


def _shape(path: str) -> str:
    """/personer/3f2c…/plan/ and /personer/9a1b…/plan/ are the same page for another record."""
    return re.sub(r"/(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{32})(?=/|$)", "/*", path)


def _local(url: str, origin: str) -> str | None:
    """The same-origin path (with its query) the crawl may follow, or None."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin or SKIP_PATH.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _crawl(page, origin: str, role: str, axe: Axe, findings: list[str]) -> dict:
    """Breadth-first from the start page; returns this role's row of the summary."""
    start = _local(page.url, origin) or "/"
    queue = deque([(start, 0)])
    seen_paths: set[str] = {urlsplit(start).path}
    shapes: dict[str, int] = {}
    row = {"role": role, "pages": 0, "widths": len(WIDTHS), "violations": 0, "overflows": 0}
    while queue and row["pages"] < PAGES_PER_ROLE:
        target, depth = queue.popleft()
        shape = _shape(urlsplit(target).path)
        if shapes.get(shape, 0) >= SAME_SHAPE:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        links: list[str] = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(origin + target)
            page.wait_for_load_state()
            if (
                response is None
                or response.status >= 400
                or not response.headers.get("content-type", "").startswith("text/html")
            ):
                break  # a menu never leads to an error page (tests/security checks that); nothing to check
            where = f"{role} {target} at {width} px"
            over, wide = page.evaluate(OVERFLOW)
            if over > 0:
                row["overflows"] += 1
                findings.append(f"{where}: the page scrolls sideways by {over} px: {wide}")
            for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
                if violation["impact"] in SERIOUS:
                    row["violations"] += 1
                    nodes = [
                        " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                        for n in violation["nodes"][:3]
                    ]
                    findings.append(
                        f"{where}: axe {violation['impact']} {violation['id']} ({violation['help']}) "
                        f"on {len(violation['nodes'])} element(s): {nodes}"
                    )
            if not links:
                links = page.evaluate(LINKS)
        else:
            row["pages"] += 1
        if depth >= MAX_DEPTH:
            continue
        for link in links:
            local = _local(link, origin)
            if local is None or urlsplit(local).path in seen_paths:
                continue
            seen_paths.add(urlsplit(local).path)
            queue.append((local, depth + 1))
    settled(page)
    return row


def _table(rows: list[dict]) -> str:
    head = ("role", "pages", "widths", "violations", "overflows")
    lines = [head] + [tuple(str(r[k]) for k in head) for r in rows]
    total = ("total", *(str(sum(r[k] for r in rows)) for k in head[1:]))
    total = (*total[:2], f"{WIDTHS[0]}+{WIDTHS[1]} px", *total[3:])
    lines.append(total)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def test_every_role_s_pages_reflow_at_390_px_and_have_no_serious_axe_violation(demo, login, live_server):
    axe = Axe()
    rows: list[dict] = []
    findings: list[str] = []
    only = set(filter(None, os.environ.get("JOBBTORG_A11Y_ROLES", "").split(",")))  # to rerun a few
    for entry in demo_seed.DEMO_LOGINS:
        if only and entry.username not in only:
            continue
        page = login(entry.username)
        rows.append(_crawl(page, live_server.url, f"{entry.username} ({entry.role})", axe, findings))
        page.context.close()
    summary = _table(rows)
    print(f"\nAccessibility crawl (axe-core, critical and serious; overflow at {WIDTHS} px):\n{summary}")
    targets = [os.environ.get("JOBBTORG_A11Y_REPORT", "")]
    if Path("/work/reports").is_dir():
        targets.append("/work/reports/a11y-crawl.txt")
    for target in filter(None, targets):
        Path(target).write_text(summary + "\n\n" + ("\n".join(findings) or "No findings.") + "\n")
    assert all(r["pages"] >= 2 for r in rows), f"every role reaches its start page and more: {summary}"
    assert not findings, f"{len(findings)} accessibility findings:\n" + "\n".join(findings)
