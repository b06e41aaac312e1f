/* Failed htmx requests, on every page: what went wrong, in the alert region of base.html
   (#app-alerts, read out politely). The server's short message comes as the `app:error` event
   (dvo_portal/errors.py); an error without one (a proxy's 502, say) gets a general text, a
   request that never reached the server the offline text. The error's body is never swapped
   in: base.html's htmx-config swaps no 4xx/5xx answer but the 409 and 422 parts, and the
   server answers an error page with HX-Reswap: none. Texts come translated from the template
   (data-text-* on #app-alerts). */
(function () {
  "use strict";

  var region = document.getElementById("app-alerts");
  if (!region) return;

  function show(text, kind) {
    if (!text) return;
    var current = region.querySelector(".alert");
    // A poll failing every few seconds is said once, not again at each poll.
    if (current && current.dataset.text === text) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger alert-dismissible shadow-sm mb-0";
    alert.dataset.text = text;
    alert.dataset.kind = kind || "";
    var message = document.createElement("span");
    message.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", region.dataset.textClose || "Close");
    alert.append(message, close);
    region.replaceChildren(alert);
  }

  document.addEventListener("app:error", function (event) {
    show(event.detail && event.detail.message, "server");
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var trigger = (xhr && xhr.getResponseHeader("HX-Trigger")) || "";
    if (trigger.indexOf('"app:error"') !== -1) return; // already shown by its event
    show(region.dataset.textFailed, "failed");
  });

  function offline() {
    show(region.dataset.textOffline, "offline");
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);

  // Back online: the offline text goes as soon as a request gets through again.
  document.addEventListener("htmx:afterRequest", function (event) {
    var current = region.querySelector(".alert");
    if (current && current.dataset.kind === "offline" && event.detail.successful) current.remove();
  });
})();
