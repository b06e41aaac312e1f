/* Polls give way to what the user does. A poll's answer that comes back after the user acted
   (an htmx post, a plain form leaving the page) is dropped, and no poll is sent while an
   action is under way: answered after the action, a poll would see the change the action
   made (the workshop's revision moved on) and reload the page over the action's answer,
   losing its message ("Consensus for Marketing: level 4."). The next poll starts from the
   page the action left. A page restored from the back/forward cache polls again. */
(function () {
  "use strict";
  var inFlight = []; // the actions' requests, under way until their xhr is done
  var actionsSent = 0;
  var sentAfter = new WeakMap(); // a poll's xhr -> actionsSent when it was sent
  var watched = new WeakSet();
  var leaving = false;

  function polls(elt) {
    return /(^|,)\s*every\s/.test((elt && elt.getAttribute && elt.getAttribute("hx-trigger")) || "");
  }

  function acting() {
    inFlight = inFlight.filter(function (xhr) {
      return xhr.readyState !== XMLHttpRequest.DONE;
    });
    return inFlight.length > 0;
  }

  // On the polling element itself: an action may have swapped it out of the page, and an
  // event on an element no longer in the page reaches no listener above it.
  function dropStale(event) {
    if (event.target !== event.currentTarget) return; // an action inside it, not the poll
    var stale = sentAfter.get(event.detail.xhr) !== actionsSent;
    if (leaving || stale || !document.body.contains(event.currentTarget)) event.preventDefault();
  }

  document.addEventListener("submit", function (event) {
    // htmx's own forms (hx-post) stay on the page: htmx prevented their navigation.
    if (!event.defaultPrevented) leaving = true;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!polls(elt)) {
      inFlight.push(event.detail.xhr);
      actionsSent += 1;
      return;
    }
    if (leaving || acting()) {
      event.preventDefault();
      return;
    }
    sentAfter.set(event.detail.xhr, actionsSent);
    if (!watched.has(elt)) {
      watched.add(elt);
      elt.addEventListener("htmx:beforeOnLoad", dropStale);
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      leaving = false;
      inFlight = [];
    }
  });
})();
