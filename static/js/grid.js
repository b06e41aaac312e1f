/* Workshop grid: save state and keyboard walking (charts.js draws the radar). No inline scripts. */
(function () {
  "use strict";

  var pending = 0;
  var failed = false;
  var saveState = document.getElementById("save-state");
  var labels = document.getElementById("grid-keys");
  var text = {
    saving: document.documentElement.lang === "nl" ? "Opslaan…" : "Saving…",
    saved: document.documentElement.lang === "nl" ? "Alle wijzigingen zijn opgeslagen" : "All changes saved",
    offline: document.documentElement.lang === "nl"
      ? "Niet opgeslagen: geen verbinding. Uw invoer blijft staan en gaat mee met de volgende wijziging."
      : "Not saved: no connection. Your input is kept and is sent with the next change.",
    failed: document.documentElement.lang === "nl" ? "Niet opgeslagen" : "Not saved",
    loggedOut: document.documentElement.lang === "nl"
      ? "Niet opgeslagen: u bent uitgelogd. Log in een ander tabblad opnieuw in; uw invoer blijft staan."
      : "Not saved: you were logged out. Log in again in another tab; your input is kept.",
    loadFailed: document.documentElement.lang === "nl"
      ? "Laden mislukt: sluit de rij en open haar opnieuw."
      : "Could not load: close the row and open it again.",
  };

  function setState(message, css) {
    if (!saveState) return;
    saveState.textContent = message;
    saveState.className = "small ms-auto " + (css || "text-muted");
  }

  // A request the server answered with the login page (the session ended): nothing was saved
  // or loaded, whatever the status code says.
  var grid = document.getElementById("grid");
  var loginPath = grid && grid.dataset.loginUrl;
  function loggedOut(xhr) {
    if (!loginPath || !xhr || !xhr.responseURL) return false;
    return new URL(xhr.responseURL).pathname === loginPath;
  }

  function isScoreForm(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest && element.closest(".score-form");
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!isScoreForm(event)) return;
    pending += 1;
    setState(text.saving);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!isScoreForm(event)) return;
    pending = Math.max(0, pending - 1);
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (loggedOut(event.detail.xhr)) {
      failed = true;
      setState(text.loggedOut, "text-danger");
      return;
    }
    failed = !(status >= 200 && status < 300);
    if (pending === 0) setState(failed ? text.failed : text.saved, failed ? "text-danger" : "text-success");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (!isScoreForm(event)) return;
    failed = true;
    setState(text.offline, "text-danger");
  });

  // Never lose typed work: warn before leaving while a save is pending or has failed.
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0 || failed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Keyboard: arrows move between process rows; Escape closes the open row.
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

  // A row's form is fetched the first time the row opens (data-form-url); the grid page itself
  // carries only the summaries. Opening a row from the keyboard puts the focus on its first
  // criterion, once both the form is there and the row is open.
  function toggleFor(body) {
    return document.querySelector('[data-bs-target="#' + body.id + '"]');
  }

  function focusFirst(body) {
    var toggle = toggleFor(body);
    if (!toggle || document.activeElement !== toggle || !body.classList.contains("show")) return;
    var first = body.querySelector("input[type=checkbox]:not(:disabled), select");
    if (first) first.focus();
  }

  function loadForm(body) {
    var url = body.dataset.formUrl;
    if (!url || body.dataset.state === "loading" || body.dataset.state === "loaded") return;
    body.dataset.state = "loading";
    var done = function () {
      var loaded = !!body.querySelector("form");
      body.dataset.state = loaded ? "loaded" : "";
      // Still opening: let the animation run on to the height of the form.
      if (body.classList.contains("collapsing")) body.style.height = body.scrollHeight + "px";
      if (loaded) {
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

  // Never put a login page into a row or the side panel.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (loggedOut(event.detail.xhr)) event.detail.shouldSwap = false;
  });

  document.addEventListener("show.bs.collapse", function (event) {
    if (event.target.classList.contains("score-body")) loadForm(event.target);
  });
  document.addEventListener("shown.bs.collapse", function (event) {
    focusFirst(event.target);
  });

  // A link to #score-<id> (e.g. "load theirs" after a conflict) opens that row.
  function openFromHash() {
    var match = /^#score-(\d+)$/.exec(window.location.hash);
    var body = match && document.getElementById("score-" + match[1] + "-body");
    if (body && window.bootstrap) window.bootstrap.Collapse.getOrCreateInstance(body, { toggle: false }).show();
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  // Rows opened before this script ran (a quick click while the page loads).
  document.querySelectorAll(".score-body.show, .score-body.collapsing").forEach(loadForm);

  if (labels) labels.hidden = false;
})();
