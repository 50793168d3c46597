// Accessibility fixes to Django's admin, a file so the Content Security Policy holds.
// Select2 (the autocomplete pickers) names its combobox after the chosen value, so an empty
// picker has no name: give each combobox the label of the <select> it stands for.
"use strict";
(function () {
    function nameComboboxes() {
        document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
            const label = select.id && document.querySelector('label[for="' + select.id + '"]');
            const container = select.nextElementSibling;
            const combobox = container && container.querySelector('[role="combobox"]');
            if (label && combobox && !combobox.dataset.named) {
                // The label first, then the chosen value (select2's own aria-labelledby).
                label.id = label.id || select.id + "-label";
                const chosen = combobox.getAttribute("aria-labelledby");
                combobox.setAttribute("aria-labelledby", chosen ? label.id + " " + chosen : label.id);
                // The value's own box (role textbox) is named by the label too: empty, it has
                // no text of its own.
                const value = combobox.querySelector('[role="textbox"]');
                if (value) {
                    value.setAttribute("aria-labelledby", label.id);
                }
                combobox.dataset.named = "1";
            }
        });
    }
    // Django starts select2 in a jQuery ready handler, which jQuery may run after "load";
    // a ready handler added after it (this file is deferred) runs after it.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(nameComboboxes);
    } else {
        window.addEventListener("load", nameComboboxes);
    }
    document.addEventListener("formset:added", nameComboboxes);
})();
