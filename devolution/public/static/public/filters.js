// The phone layout of a filtered list: the results first, the filter form after them, folded
// (a <details> the visitor opens), and above the results a keyword box alone, so that a new
// search does not start with a scroll past every result. The moves are in the document, not
// only on screen, so the keyboard and screen readers meet things in the order they are shown.
// Without JavaScript the filters stay open above the results.
"use strict";

// A form of the keyword alone that keeps the list's other conditions (filters, version).
function keywordForm(form) {
    const keyword = form.elements.namedItem("q");
    if (!keyword) {
        return null;
    }
    const quick = document.createElement("form");
    quick.method = "get";
    quick.action = form.action;
    quick.className = "quick-search";
    quick.setAttribute("role", "search");
    quick.setAttribute("aria-label", "按关键词检索");
    for (const [name, value] of new FormData(form)) {
        if (name !== "q" && value) {
            const kept = document.createElement("input");
            kept.type = "hidden";
            kept.name = name;
            kept.value = value;
            quick.append(kept);
        }
    }
    const label = document.createElement("label");
    label.htmlFor = "quick-q";
    label.textContent = "关键词";
    const box = document.createElement("input");
    box.type = "search";
    box.name = "q";
    box.id = "quick-q";
    box.value = keyword.value;
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = "检索";
    quick.append(label, box, button);
    return quick;
}

document.addEventListener("DOMContentLoaded", function () {
    const panel = document.querySelector("details.filter-panel");
    const results = document.querySelector("section.results");
    if (!panel || !results || !window.matchMedia("(max-width: 640px)").matches) {
        return;
    }
    const quick = keywordForm(panel.querySelector("form"));
    if (quick) {
        results.before(quick);
    }
    results.after(panel);
    if (!panel.querySelector(".errors")) {
        panel.open = false;
    }
});
