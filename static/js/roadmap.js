/* Roadmap page: an item's form opens in its edit row (htmx fetches it) and closes again;
   after a conflict, a field can take the saved value back; focus stays where the user was
   when a row is swapped; a request that fails or meets the login page says so instead of
   swapping. charts.js redraws the timeline. No inline scripts (CSP); texts come translated
   from the template (data-text-* on #roadmap). */
(function () {
  "use strict";

  var roadmap = document.getElementById("roadmap");
  if (!roadmap) return;

  function say(text) {
    var box = document.getElementById("roadmap-message");
    if (!box || !text) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-2";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.replaceChildren(alert);
  }

  function focusFirst(container) {
    var first = container.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  // The first field a refused save asks about: one with an error, else one with a conflict.
  function trouble(container) {
    var invalid = container.querySelector(".item-form [aria-invalid=true]");
    if (invalid) return invalid;
    var note = container.querySelector(".item-form .conflict-note");
    return note ? note.parentElement.querySelector("input, select, textarea") : null;
  }

  function editRowOf(link) {
    return document.getElementById(link.getAttribute("hx-target").replace(/^#/, ""));
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

  // "Edit" on an item whose form is open already goes to the form: fetching it again would
  // throw away what was typed.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link.classList || !link.classList.contains("item-edit")) return;
    var row = editRowOf(link);
    var form = row && row.querySelector(".item-form");
    if (form) {
      event.preventDefault();
      focusFirst(form);
    }
  });

  // What had the focus in the part being swapped, to give it back to its successor: the same
  // button of a row (a move), else the row's "Edit".
  var focused = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && new URL(xhr.responseURL).pathname === roadmap.dataset.loginUrl) {
      event.detail.shouldSwap = false; // never a login page in a row
      say(roadmap.dataset.textLoggedOut);
      return;
    }
    var active = document.activeElement;
    var target = event.detail.target;
    focused = null;
    if (target && active && target.contains(active) && target.id) {
      focused = { id: target.id, value: active.value, name: active.name };
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    var target = event.detail.target;
    if (!config || !target || !target.id) return;
    var swapped = document.getElementById(target.id);
    if (!swapped) return;
    if (config.verb === "get") {
      var form = swapped.querySelector(".item-form");
      if (form) focusFirst(form);
      return;
    }
    if (!focused || focused.id !== target.id) return;
    var again = trouble(swapped) ||
      (focused.name && swapped.querySelector(
        'button[name="' + focused.name + '"][value="' + focused.value + '"]:not(:disabled)')) ||
      swapped.querySelector(".item-edit");
    if (again) again.focus();
    focused = null;
  });

  document.body.addEventListener("htmx:responseError", function () {
    say(roadmap.dataset.textFailed);
  });
  document.body.addEventListener("htmx:sendError", function () {
    say(roadmap.dataset.textFailed);
  });
})();
