/* Workshop grid: level-first scoring, save state, errors at their field, conflicts, and
   keyboard walking (charts.js draws the radar). No inline scripts. Texts come translated from
   the template (data-text-* on #grid). */
(function () {
  "use strict";

  var grid = document.getElementById("grid");
  if (!grid) return;
  var saveState = document.getElementById("save-state");
  var labels = document.getElementById("grid-keys");
  var text = {
    saving: grid.dataset.textSaving,
    saved: grid.dataset.textSaved,
    offline: grid.dataset.textOffline,
    failed: grid.dataset.textFailed,
    loggedOut: grid.dataset.textLoggedOut,
    loadFailed: grid.dataset.textLoadFailed,
  };
  var pending = 0;
  var failed = false;

  function setState(message, css) {
    if (!saveState) return;
    saveState.textContent = message;
    saveState.className = "small ms-auto " + (css || "text-muted");
  }

  // A request the server answered with the login page (the session ended): nothing was saved
  // or loaded, whatever the status code says.
  var loginPath = grid.dataset.loginUrl;
  function loggedOut(xhr) {
    if (!loginPath || !xhr || !xhr.responseURL) return false;
    return new URL(xhr.responseURL).pathname === loginPath;
  }

  function scoreFormOf(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest ? element.closest(".score-form") : null;
  }

  // --- level-first scoring ------------------------------------------------------------------

  function criteriaOf(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".criterion"));
  }

  // What the row shows as its level while the answer is on its way: the criteria up to the
  // chosen level ticked, none above (criteria that do not apply stay as they are).
  function tickUpTo(form, level) {
    criteriaOf(form).forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (!box || box.disabled) return;
      box.checked = Number(row.dataset.level) <= level;
    });
    recount(form);
  }

  function pressLevel(form, level) {
    form.querySelectorAll(".level-button").forEach(function (button) {
      var on = level !== null && Number(button.dataset.level) === level;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  // "n of m met" per level, as the consultant ticks.
  function recount(form) {
    form.querySelectorAll("details.level-block").forEach(function (block) {
      var rows = block.querySelectorAll(".criterion");
      var met = 0;
      var applicable = 0;
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        if (box.disabled) return;
        applicable += 1;
        if (box.checked) met += 1;
      });
      var count = block.querySelector(".level-count");
      if (count && count.dataset.template) {
        count.textContent = count.dataset.template.replace("{met}", met).replace("{total}", applicable);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".level-button");
    if (button) {
      var form = button.closest(".score-form");
      var level = Number(button.dataset.level);
      tickUpTo(form, level);
      pressLevel(form, level);
      // The level goes with this one save only (a submit button's value would ride along
      // with every later autosave in browsers that do not focus a clicked button).
      window.htmx.ajax("POST", form.getAttribute("hx-post"), {
        source: form,
        values: { level: String(level) },
        swap: "none",
      });
      return;
    }
    var toggle = event.target.closest && event.target.closest(".na-toggle");
    if (toggle) {
      var box = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = box.hidden;
      box.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) box.querySelector("input").focus();
      return;
    }
    var theirs = event.target.closest && event.target.closest(".use-theirs");
    if (theirs) useTheirs(theirs);
  });

  // Typing shows at once that a save is on its way (the autosave waits for a pause).
  function changed(event) {
    if (event.target.closest && event.target.closest(".score-form")) setState(text.saving);
  }
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);

  // A reason makes a criterion not applicable: it can no longer be ticked.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.name || input.name.indexOf("na_") !== 0) return;
    var row = input.closest(".criterion");
    var box = row && row.querySelector("input[type=checkbox]");
    if (!box) return;
    var excluded = input.value.trim() !== "";
    if (excluded) box.checked = false;
    box.disabled = excluded;
    row.classList.toggle("is-excluded", excluded);
    recount(row.closest(".score-form"));
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest(".score-form");
    if (form && event.target.type === "checkbox") recount(form);
  });

  // After a conflict: put the stored value back into the field; the change saves it.
  function useTheirs(button) {
    var form = document.getElementById(button.dataset.form);
    var name = button.dataset.field;
    var value = button.dataset.value;
    var fields = form.querySelectorAll('[name="' + name + '"]');
    fields.forEach(function (field) {
      if (field.type === "radio") field.checked = field.value === value;
      else field.value = value;
    });
    var row = button.closest("tr");
    if (row) row.classList.add("text-decoration-line-through");
    if (fields.length) fields[0].dispatchEvent(new Event("change", { bubbles: true }));
  }

  // --- errors at their field ----------------------------------------------------------------

  function clearErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (error) { error.textContent = ""; });
    form.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
    });
  }

  function markErrors(form) {
    form.querySelectorAll(".field-error").forEach(function (error) {
      var field = document.getElementById(error.dataset.for || "");
      if (!error.textContent.trim()) {
        error.classList.remove("d-block");
        return;
      }
      error.classList.add("d-block");
      if (!field) return;
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", error.id);
      var box = field.closest(".na-reason");
      if (box) box.hidden = false;
    });
  }

  // --- what the consultant changed while a save was on its way -----------------------------
  // A save's answer brings what someone else saved meanwhile into the row. A field changed
  // here after that save went out keeps what was typed, and then the row keeps its revision
  // too: the next save is compared with what this consultant saw, so a clash with the other
  // change is asked about, never overwritten unseen.
  var typedSince = new WeakMap(); // form -> names of the fields changed since its last save
  var keptThisAnswer = new WeakMap(); // form -> whether this answer left a field as typed
  var unsent = new Set(); // forms with a change that no save has carried yet
  function noteTyped(event) {
    var form = event.target.closest && event.target.closest(".score-form");
    if (!form || !event.target.name) return;
    if (!typedSince.has(form)) typedSince.set(form, new Set());
    typedSince.get(form).add(event.target.name);
    unsent.add(form);
  }
  // Captured, so it runs before htmx sends the save this very event triggers (a change):
  // that save then carries it.
  document.addEventListener("input", noteTyped, true);
  document.addEventListener("change", noteTyped, true);

  document.body.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    // Two saves' answers may arrive in either order: the progress, heatmap and radar keep
    // the later state of the assessment.
    var incoming = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (target && target.dataset && target.dataset.revision && incoming && incoming.dataset &&
        Number(incoming.dataset.revision) < Number(target.dataset.revision)) {
      event.detail.shouldSwap = false;
      return;
    }
    var form = target && target.closest && target.closest(".score-form");
    if (!form) return;
    if (target.name === "revision") {
      if (keptThisAnswer.get(form)) event.detail.shouldSwap = false;
      return;
    }
    var typed = typedSince.get(form);
    if (!typed || !typed.size) return;
    var fields = target.name ? [target] : Array.prototype.slice.call(target.querySelectorAll("[name]"));
    if (fields.some(function (field) { return typed.has(field.name); })) {
      event.detail.shouldSwap = false;
      keptThisAnswer.set(form, true);
    }
  });

  // --- requests -------------------------------------------------------------------------------

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = scoreFormOf(event);
    if (!form) return;
    pending += 1;
    setState(text.saving);
    typedSince.set(form, new Set()); // what is typed from now on is not in this save
    keptThisAnswer.set(form, false);
    unsent.delete(form);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    // Never put a login page into a row or the side panel.
    if (loggedOut(event.detail.xhr)) {
      event.detail.shouldSwap = false;
      return;
    }
    var form = scoreFormOf(event);
    if (form) clearErrors(form);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = scoreFormOf(event);
    if (!form) return;
    pending = Math.max(0, pending - 1);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (loggedOut(event.detail.xhr)) {
      failed = true;
      setState(text.loggedOut, "text-danger");
      return;
    }
    failed = !(status >= 200 && status < 300);
    markErrors(form);
    var summary = document.getElementById("score-" + form.dataset.score + "-summary");
    if (summary && !failed) {
      pressLevel(form, summary.dataset.scored === "true" ? Number(summary.dataset.level) : null);
    }
    // "All changes saved" only when no save is on its way and nothing typed waits for one.
    if (failed) setState(text.failed, "text-danger");
    else if (pending === 0 && unsent.size === 0) setState(text.saved, "text-success");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (!scoreFormOf(event)) return;
    failed = true;
    setState(text.offline, "text-danger");
  });

  // Never lose typed work: warn before leaving while a save is pending or has failed.
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0 || failed || unsent.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- keyboard: arrows move between process rows; Escape closes the open row ---------------

  document.addEventListener("keydown", function (event) {
    var toggles = Array.prototype.slice.call(document.querySelectorAll(".grid-row-toggle"));
    var target = event.target;
    if (event.key === "Escape") {
      var body = target.closest && target.closest(".collapse.show");
      if (body && window.bootstrap) {
        window.bootstrap.Collapse.getOrCreateInstance(body).hide();
        var toggle = document.querySelector('[data-bs-target="#' + body.id + '"]');
        if (toggle) toggle.focus();
      }
      return;
    }
    var index = toggles.indexOf(target);
    if (index < 0) return;
    if (event.key === "ArrowDown") index += 1;
    else if (event.key === "ArrowUp") index -= 1;
    else if (event.key === "Home") index = 0;
    else if (event.key === "End") index = toggles.length - 1;
    else return;
    event.preventDefault();
    toggles[Math.max(0, Math.min(index, toggles.length - 1))].focus();
  });

  // --- rows: the form is fetched the first time a row opens (data-form-url) -----------------

  function toggleFor(body) {
    return document.querySelector('[data-bs-target="#' + body.id + '"]');
  }

  function focusFirst(body) {
    var toggle = toggleFor(body);
    if (!toggle || document.activeElement !== toggle || !body.classList.contains("show")) return;
    var first = body.querySelector(".level-button:not(:disabled)") ||
      body.querySelector("input:not([type=hidden]):not(:disabled), select");
    if (first) first.focus();
  }

  function prepare(form) {
    form.querySelectorAll(".level-count").forEach(function (count) {
      if (!count.dataset.template && grid.dataset.textCount) count.dataset.template = grid.dataset.textCount;
    });
  }

  function loadForm(body) {
    var url = body.dataset.formUrl;
    if (!url || body.dataset.state === "loading" || body.dataset.state === "loaded") return;
    body.dataset.state = "loading";
    var done = function () {
      var form = body.querySelector("form");
      body.dataset.state = form ? "loaded" : "";
      // Still opening: let the animation run on to the height of the form.
      if (body.classList.contains("collapsing")) body.style.height = body.scrollHeight + "px";
      if (form) {
        prepare(form);
        focusFirst(body);
      } else {
        var status = body.querySelector("[role=status]");
        if (status) {
          status.textContent = text.loadFailed;
          status.className = "card-body border-top small text-danger mb-0";
        }
      }
    };
    // No settle delay: the form gets its triggers as it appears, so a change typed at once
    // (or by a quick keyboard user) is never missed.
    window.htmx.ajax("GET", url, { target: body, swap: "innerHTML settle:0ms" }).then(done, done);
  }

  // The presenter screen follows the row the consultant opens.
  var focusUrl = grid.dataset.focusUrl;
  function tellFocus(body) {
    if (!focusUrl || !window.htmx) return;
    var score = body ? body.id.replace(/^score-(\d+)-body$/, "$1") : "";
    window.htmx.ajax("POST", focusUrl, { values: { score: score }, swap: "none", source: grid });
  }

  document.addEventListener("show.bs.collapse", function (event) {
    if (!event.target.classList.contains("score-body")) return;
    loadForm(event.target);
    tellFocus(event.target);
  });
  document.addEventListener("shown.bs.collapse", function (event) {
    focusFirst(event.target);
  });

  // A link to #score-<id> (e.g. "load theirs" after a conflict, or from the live workshop)
  // opens that row.
  function openFromHash() {
    var match = /^#score-(\d+)$/.exec(window.location.hash);
    var body = match && document.getElementById("score-" + match[1] + "-body");
    if (!body || !window.bootstrap) return;
    window.bootstrap.Collapse.getOrCreateInstance(body, { toggle: false }).show();
    body.closest(".grid-row").scrollIntoView({ block: "start" });
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  // Rows opened before this script ran (a quick click while the page loads).
  document.querySelectorAll(".score-body.show, .score-body.collapsing").forEach(loadForm);

  if (labels) labels.hidden = false;
})();
