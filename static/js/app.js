/* ODOP Showroom app.js: load with `defer` right after htmx (the CSP forbids inline scripts).
 * CSRF header fallback · HX-Trigger {"toast":{"message","level"}} → #toasts (5 s) · <progress> in
 * form[data-upload-progress] · 400/422 HTML responses are swapped (forms show errors in place) ·
 * #toasts[data-msg-error|data-msg-offline]: toast for a failed request the server sent no toast for
 * · details.filters open from 900px. */
(function () {
  "use strict";
  var d = document;
  // app.css styles .htmx-indicator; htmx's injected <style> would break a strict CSP
  if (window.htmx) htmx.config.includeIndicatorStyles = false;
  function on(name, fn) { d.addEventListener(name, fn); }

  on("htmx:configRequest", function (e) {
    var m = d.querySelector('meta[name="csrf-token"]'), h = e.detail.headers;
    if (m && m.content && !h["X-CSRF-Token"]) h["X-CSRF-Token"] = m.content;
  });

  function expire(el) {
    el.setAttribute("data-t", "");
    var t = setTimeout(function () { el.remove(); }, 5000);
    el.addEventListener("click", function () { clearTimeout(t); el.remove(); });
  }
  function toast(msg, level) {
    var r = d.getElementById("toasts"), el = d.createElement("div");
    if (!msg) return;
    if (!r) { r = d.createElement("div"); r.id = "toasts"; d.body.appendChild(r); }
    if (!r.getAttribute("role")) r.setAttribute("role", "status");
    r.setAttribute("aria-live", "polite");
    el.className = "toast toast-" + (/^(error|success)$/.test(level) ? level : "info");
    el.textContent = msg; // text, never HTML
    r.appendChild(el);
    expire(el);
  }
  on("toast", function (e) {
    var x = e.detail || {};
    toast(x.message || (typeof x.value === "string" && x.value), x.level);
  });

  function bar(e) {
    var f = e.target.closest && e.target.closest("form[data-upload-progress]");
    return f && f.querySelector("progress");
  }
  on("htmx:beforeSend", function (e) {
    var p = bar(e);
    if (p) { p.max = 100; p.value = 0; }
  });
  on("htmx:xhr:progress", function (e) {
    var p = bar(e), x = e.detail;
    // the response download reports here too: never move the bar back
    if (p && x.lengthComputable && x.total) p.value = Math.max(p.value, 100 * x.loaded / x.total);
  });

  on("htmx:beforeSwap", function (e) {
    var x = e.detail.xhr;
    if ((x.status === 400 || x.status === 422) && x.response &&
        /html/.test(x.getResponseHeader("Content-Type"))) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  function failed(key, xhr) {
    var r = d.getElementById("toasts"), msg = r && r.getAttribute(key);
    if (!/toast/.test(xhr && xhr.getResponseHeader("HX-Trigger"))) toast(msg, "error");
  }
  on("htmx:responseError", function (e) { failed("data-msg-error", e.detail.xhr); });
  on("htmx:sendError", function () { failed("data-msg-offline"); });
  on("htmx:timeout", function () { failed("data-msg-offline"); });

  // first load and every swap: server-rendered or out-of-band toasts expire too
  function loaded() {
    d.querySelectorAll("#toasts>.toast:not([data-t])").forEach(expire);
    if (matchMedia("(min-width: 900px)").matches) {
      d.querySelectorAll("details.filters:not([data-t])").forEach(function (f) {
        f.open = true;
        f.setAttribute("data-t", "");
      });
    }
  }
  on("htmx:load", loaded);
  on("DOMContentLoaded", loaded);
})();
