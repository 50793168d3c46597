"""axe-core (npm, pinned in package-lock.json; `make install-dev` runs `npm ci`) injected into a
Playwright page. It goes in as an init script (the DevTools protocol, not a <script> element), so
the Content Security Policy the pages send stays as it is."""

from pathlib import Path

from django.conf import settings

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def install_axe(page):
    """Make axe available in every document `page` opens from now on."""
    assert AXE.exists(), "axe-core missing: run `npm ci` (make install-dev does)"
    page.add_init_script(path=str(AXE))


def serious_violations(page):
    """axe's serious and critical violations on the page as it is, one line each (rule, what
    it asks, the first elements it names), for an assertion message."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
