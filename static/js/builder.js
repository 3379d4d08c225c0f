// The trait-group builder's small behaviours; htmx does the rest.
// Loaded as a file (never inline): the Content-Security-Policy forbids inline script.
(function () {
  "use strict";

  // The builder's requests carry the whole form on every keystroke: as JSON, which the
  // server reads far faster than form encoding. Repeated names (trait_keys) become lists.
  if (window.htmx) {
    window.htmx.defineExtension("builder-json", {
      onEvent: function (name, event) {
        if (name === "htmx:configRequest") {
          event.detail.headers["Content-Type"] = "application/json";
        }
      },
      encodeParameters: function (xhr, parameters) {
        xhr.overrideMimeType("text/html");
        var body = {};
        parameters.forEach(function (value, key) {
          if (typeof value !== "string") { return; }
          if (key === "trait_keys") {
            (body[key] = body[key] || []).push(value);
          } else {
            body[key] = value;
          }
        });
        return JSON.stringify(body);
      }
    });
  }

  // Live validation swaps message boxes; each names its input (data-for) and whether
  // that input is invalid, so the input itself is never replaced while someone types.
  function applyValidity(root) {
    var boxes = root.matches && root.matches("[data-for]") ? [root] : [];
    if (root.querySelectorAll) {
      boxes = boxes.concat(Array.prototype.slice.call(root.querySelectorAll("[data-for]")));
    }
    boxes.forEach(function (box) {
      var input = document.getElementById(box.getAttribute("data-for"));
      if (!input) { return; }
      if (box.getAttribute("data-invalid") === "true") {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  var focusAfterRemove = null;

  document.addEventListener("htmx:load", function (event) {
    var elt = event.target;
    applyValidity(elt);
    // A row that just arrived (Add trait, Duplicate) takes the focus at its name.
    if (elt.matches && elt.matches(".trait-row")) {
      var name = elt.querySelector("input[name$='-name']");
      if (name) { name.focus(); }
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.value && String(source.value).indexOf("remove-") === 0) {
      var row = source.closest(".trait-row");
      var next = row && (row.nextElementSibling || row.previousElementSibling);
      focusAfterRemove = next ? next.querySelector("input[name$='-name']") : document.getElementById("add-trait");
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (focusAfterRemove && document.body.contains(focusAfterRemove)) {
      focusAfterRemove.focus();
    } else if (focusAfterRemove) {
      var add = document.getElementById("add-trait");
      if (add) { add.focus(); }
    }
    focusAfterRemove = null;
  });

  // Enter in a one-line field would submit the form through its first submit button,
  // which is trait 1's Duplicate: the fields are checked live, so Enter does nothing.
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key === "Enter" && field.tagName === "INPUT" && field.form &&
        field.form.id === "builder-form") {
      event.preventDefault();
    }
  });

  // Warn before leaving with unsaved input; saving or importing clears the flag.
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("#builder-form")) { dirty = true; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target.id === "builder-form") { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
