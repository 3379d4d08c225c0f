// memadmin's only script of its own: small behaviours htmx does not cover.
// Loaded as a file (never inline) so the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";

  function dismissLater(toast) {
    window.setTimeout(function () { toast.remove(); }, 6000);
  }

  document.addEventListener("click", function (event) {
    var close = event.target.closest(".toast-close");
    if (close) { close.parentElement.remove(); return; }
    var copy = event.target.closest("[data-copy-target]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy-target"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent).then(function () {
          var label = copy.textContent;
          copy.textContent = "Copied";
          window.setTimeout(function () { copy.textContent = label; }, 1500);
        });
      }
    }
  });

  // Servers can raise a toast from any htmx response with HX-Trigger: {"toast": {...}}.
  document.body.addEventListener("toast", function (event) {
    var detail = event.detail || {};
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (detail.level || "info");
    toast.textContent = detail.message || "";
    var close = document.createElement("button");
    close.type = "button"; close.className = "toast-close"; close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    toast.appendChild(close);
    document.getElementById("toasts").appendChild(toast);
    dismissLater(toast);
  });

  document.querySelectorAll(".toast").forEach(dismissLater);
})();
