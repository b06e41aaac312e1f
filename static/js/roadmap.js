/* Roadmap page: an item's form opens in its edit row (htmx fetches it) and closes again;
   after a conflict, a field can take the saved value back. charts.js redraws the timeline.
   No inline scripts (CSP). */
(function () {
  "use strict";

  function focusFirst(container) {
    var first = container.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;

    // Cancel: close the form without a request (without JavaScript the link reloads the page).
    var cancel = target.closest(".item-cancel");
    if (cancel) {
      var row = document.getElementById(cancel.dataset.editRow);
      if (!row) return;
      event.preventDefault();
      var id = row.id.replace(/-edit$/, "");
      row.replaceChildren();
      var edit = document.querySelector("#" + id + "-row .item-edit");
      if (edit) edit.focus();
      return;
    }

    // After a conflict: put the saved value back into the field.
    var theirs = target.closest(".use-theirs");
    if (theirs) {
      var field = document.getElementById(theirs.dataset.field);
      if (!field) return;
      field.value = theirs.dataset.value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
      var note = theirs.closest(".conflict-note");
      if (note) note.classList.add("text-decoration-line-through");
    }
  });

  // A form that htmx brought (an item's, or the new item's): focus its first field.
  // (An outerHTML swap replaced the target: look it up again by its id.)
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    var target = event.detail.target;
    if (!config || config.verb !== "get" || !target || !target.id) return;
    var swapped = document.getElementById(target.id);
    var form = swapped && swapped.querySelector(".item-form");
    if (form) focusFirst(form);
  });
})();
