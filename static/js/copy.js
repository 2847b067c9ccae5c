/*
 * Progressive enhancement for the whole site (loaded on every page, no inline script):
 * - Copy buttons: a button with data-copy-target="ID" (hidden in the HTML) is shown and
 *   copies the value of the input or textarea with that id. Without JavaScript the field
 *   is still a read-only input the user can select and copy.
 * - An error summary marked data-focus-on-load gets focus, so screen readers announce it.
 */
(function () {
  "use strict";

  function announce(targetId, message) {
    var status = document.querySelector('[data-copy-status-for="' + targetId + '"]');
    if (status) {
      status.textContent = message;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function fallbackCopy(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  function copy(button) {
    var targetId = button.getAttribute("data-copy-target");
    var field = document.getElementById(targetId);
    if (!field) { return; }
    var text = field.value;
    var done = function () { announce(targetId, "Copied."); };
    var failed = function () {
      announce(targetId, fallbackCopy(field) ? "Copied." : "Press Ctrl+C (or \u2318C) to copy.");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  function init() {
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    document.querySelectorAll(".copy-source").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
