"""The admin's busiest lists at a 1366 px laptop screen: the changelist table fits the page, no
column is squeezed to a few characters a line, and long text is cut with an ellipsis, the full
text on hover (its title). Screenshots for the README."""

import pytest

from devolution.tests.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

# Width and height of every cell of the changelist, and whether the table overflows its box.
MEASURE = """() => {
    const table = document.querySelector('#result_list');
    const box = table.closest('.results') || table.parentElement;
    const em = parseFloat(getComputedStyle(table.querySelector('tbody td')).fontSize);
    const lines = (cell) => {  // distinct line tops of the cell's text
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        const tops = [];
        while (walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(walker.currentNode);
            for (const r of range.getClientRects()) {
                if (r.width && !tops.some(t => Math.abs(t - r.top) < em / 2)) tops.push(r.top);
            }
        }
        return tops.length;
    };
    const cells = [...table.querySelectorAll('thead th, tbody tr:first-child > *')]
        .filter(c => !c.matches('.action-checkbox, .action-checkbox-column'))
        .map(c => ({text: c.innerText.trim(), cls: c.className,
                    width: c.getBoundingClientRect().width, lines: lines(c)}));
    const cut = [...table.querySelectorAll('tbody .truncate')];
    return {em, cells,
            table: table.getBoundingClientRect().width, box: box.clientWidth,
            page: document.documentElement.scrollWidth - window.innerWidth,
            titled: cut.filter(s => s.title.startsWith(s.textContent.trim())).length,
            truncated: cut.length};
}"""


@pytest.fixture
def laptop(page, site, django_user_model):
    django_user_model.objects.create_superuser("clerk", password="panshan-clerk-2016")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site + "/admin/login/")
    page.get_by_label("用户名").fill("clerk")
    page.get_by_label("密码").fill("panshan-clerk-2016")
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#site-name")
    return page


def assert_fits(measured):
    assert measured["page"] <= 0, f"the page scrolls sideways by {measured['page']} px"
    assert measured["table"] <= measured["box"] + 1, measured
    narrow = [c for c in measured["cells"] if c["width"] < 3 * measured["em"]]
    assert narrow == [], narrow
    # A header or a first-row cell keeps to one line (a long name is cut, not wrapped).
    tall = [c for c in measured["cells"] if c["lines"] > 1]
    assert tall == [], tall
    assert measured["truncated"] > 0 and measured["titled"] == measured["truncated"], measured


@pytest.mark.parametrize(
    ("path", "shot"),
    [
        ("/admin/items/devolveditem/", "admin-items-1366.png"),
        ("/admin/seals/seal/", "admin-seals-1366.png"),
    ],
)
def test_list_fits_a_1366_px_screen(laptop, site, path, shot):
    laptop.goto(site + path)
    measured = laptop.evaluate(MEASURE)
    screenshot(laptop, shot, full_page=False)
    assert_fits(measured)
