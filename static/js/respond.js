/*
 * Survey pages (progressive enhancement; everything works without it):
 * - show_if live: a question wrapper with data-show-if='{"question", "test", "values"}'
 *   is shown when the controlling question on this page passes the test; while hidden
 *   its inputs are disabled, so they are neither sent nor saved.
 * - character counts for text answers (data-count="ID of the count paragraph").
 * - autosave: changes are sent (debounced) to the form's data-autosave-url with the
 *   CSRF token in a header; the state is announced in [data-save-status] (aria-live).
 *   The server answers with fresh answer fingerprints (_was-*), or a fresh CSRF token
 *   when the session expired (then the save is retried once).
 * - forms with data-submit-once ignore a second submit (the server also records once).
 */
(function () {
  "use strict";

  var TYPING_DELAY = 1000;
  var CLICK_DELAY = 250;
  var UNAVAILABLE_RETRY = 15000;  // the database was unreachable: ask again after a pause

  function controls(scope) {
    return scope.querySelectorAll("input, textarea, select");
  }

  function valuesOf(form, questionId) {
    var wrapper = form.querySelector('[data-question="' + CSS.escape(questionId) + '"]');
    if (!wrapper || wrapper.hidden) { return []; }
    var values = [];
    controls(wrapper).forEach(function (el) {
      if (el.name !== questionId || el.disabled) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      if (el.value.trim() !== "" && el.value !== "na") { values.push(el.value); }
    });
    return values;
  }

  function passes(test, values) {
    if (!values.length) { return false; }
    if (test.test === "in") {
      return values.some(function (v) { return test.values.indexOf(v) !== -1; });
    }
    var number = Number(values[0]);
    var bound = Number(test.values[0]);
    if (isNaN(number)) { return false; }
    return test.test === "at_least" ? number >= bound : number <= bound;
  }

  function applyShowIf(form) {
    // Document order: a question whose controller was just hidden is hidden too.
    form.querySelectorAll("[data-show-if]").forEach(function (wrapper) {
      var test = JSON.parse(wrapper.getAttribute("data-show-if"));
      var show = passes(test, valuesOf(form, test.question));
      wrapper.hidden = !show;
      controls(wrapper).forEach(function (el) { el.disabled = !show; });
    });
  }

  function updateCount(area) {
    var count = document.getElementById(area.getAttribute("data-count"));
    if (!count) { return; }
    var max = Number(area.getAttribute("maxlength"));
    count.textContent = area.value.length + " of " + max + " characters used.";
  }

  function Autosave(form) {
    this.form = form;
    this.url = form.getAttribute("data-autosave-url");
    this.status = form.querySelector("[data-save-status]");
    this.timer = null;
    this.busy = false;
    this.again = false;
  }

  Autosave.prototype.say = function (text, state) {
    if (!this.status) { return; }
    this.status.textContent = text;
    this.status.setAttribute("data-state", state);
  };

  Autosave.prototype.schedule = function (delay, quiet) {
    var self = this;
    window.clearTimeout(this.timer);
    // Say at once that something is not saved yet: "Saved" must never describe a change
    // that is still waiting for its turn.
    if (!quiet) { this.say("Changes not saved yet\u2026", "pending"); }
    this.timer = window.setTimeout(function () { self.timer = null; self.send(true); }, delay);
  };

  Autosave.prototype.flush = function () {
    // Leaving the page with a change still waiting: send it now, in a request the
    // browser finishes even after the page is gone.
    if (!this.timer) { return; }
    window.clearTimeout(this.timer);
    this.timer = null;
    fetch(this.url, {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": this.token(), "Accept": "application/json" }
    });
  };

  Autosave.prototype.token = function () {
    var field = this.form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  };

  Autosave.prototype.send = function (retry) {
    var self = this;
    if (this.busy) { this.again = true; return; }
    this.busy = true;
    this.say("Saving\u2026", "saving");
    fetch(this.url, {
      method: "POST",
      body: new FormData(this.form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": this.token(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      self.busy = false;
      self.handle(result.ok, result.data, retry);
    }).catch(function () {
      self.busy = false;
      self.say("Not saved \u2014 check your connection. Your answers are still on this page.", "error");
    });
  };

  Autosave.prototype.handle = function (ok, data, retry) {
    var self = this;
    if (data.status === "expired" && data.csrf_token && retry) {
      document.querySelectorAll('input[name="csrf_token"]').forEach(function (f) { f.value = data.csrf_token; });
      this.send(false);
      return;
    }
    if (data.status === "unavailable") {
      // The server could not store them: say so, keep them on the page, and try again.
      this.say("Not saved yet \u2014 we could not store your answers just now. They are still on this page; trying again shortly.", "error");
      this.schedule(UNAVAILABLE_RETRY, true);
      return;
    }
    if (!ok || data.status === "locked") {
      this.say("Not saved \u2014 this response can no longer be changed here. Reload the page.", "error");
      return;
    }
    Object.keys(data.was || {}).forEach(function (id) {
      var field = self.form.querySelector('[data-was-for="' + CSS.escape(id) + '"]');
      if (field) { field.value = data.was[id]; }
    });
    if (data.status === "invalid") {
      this.say("Not saved \u2014 an answer needs checking; press Save and continue to see which.", "error");
    } else if (!this.timer && !this.again) {
      this.say("Saved", "saved");
    }
    if (this.again) { this.again = false; this.schedule(CLICK_DELAY); }
  };

  function initPage(form) {
    var autosave = form.getAttribute("data-autosave-url") && window.fetch ? new Autosave(form) : null;
    applyShowIf(form);
    form.querySelectorAll("[data-count]").forEach(updateCount);
    form.addEventListener("change", function (event) {
      applyShowIf(form);
      if (autosave && event.target.name && event.target.name.charAt(0) !== "_") {
        autosave.schedule(CLICK_DELAY);
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target.hasAttribute("data-count")) {  // a text answer (area or one-line box)
        updateCount(event.target);
        if (autosave) { autosave.schedule(TYPING_DELAY); }
      }
    });
    form.addEventListener("submit", function () {
      if (autosave) { window.clearTimeout(autosave.timer); autosave.timer = null; }
    });
    window.addEventListener("pagehide", function () {
      if (autosave) { autosave.flush(); }
    });
  }

  function initSubmitOnce(form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  }

  function init() {
    document.querySelectorAll("form.survey-page").forEach(initPage);
    document.querySelectorAll("form[data-submit-once]").forEach(initSubmitOnce);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
