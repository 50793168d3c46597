// The phone layout of a filtered list: the results first, the filter form after them, folded
// (a <details> the visitor opens). The move is in the document, not only on screen, so the
// keyboard and screen readers meet things in the order they are shown. Without JavaScript the
// filters stay open above the results.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
    const panel = document.querySelector("details.filter-panel");
    const results = document.querySelector("section.results");
    if (!panel || !results || !window.matchMedia("(max-width: 640px)").matches) {
        return;
    }
    results.after(panel);
    if (!panel.querySelector(".errors")) {
        panel.open = false;
    }
});
