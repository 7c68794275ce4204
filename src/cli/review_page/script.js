// Filters, search and document jumps for pare's review page. No network, no dependencies.
(function () {
  "use strict";
  var rule = document.getElementById("rule");
  var reason = document.getElementById("reason");
  var search = document.getElementById("search");
  var status = document.getElementById("status");
  var docs = Array.prototype.slice.call(document.querySelectorAll("article.doc"));

  function words(attribute, doc) {
    return (doc.getAttribute(attribute) || "").split("\u001f");
  }

  function shown(element) {
    return element.getClientRects().length > 0;
  }

  function apply() {
    var wantRule = rule.value, wantReason = reason.value, query = search.value.trim().toLowerCase();
    docs.forEach(function (doc) {
      var keep = (!wantRule || words("data-rules", doc).indexOf(wantRule) >= 0) &&
        (!wantReason || words("data-reasons", doc).indexOf(wantReason) >= 0) &&
        (!query || doc.textContent.toLowerCase().indexOf(query) >= 0);
      doc.hidden = !keep;
      doc.querySelectorAll(".line").forEach(function (line) {
        var marked = line.hasAttribute("data-rule");
        var other = marked && ((wantRule && line.getAttribute("data-rule") !== wantRule) ||
          (wantReason && line.getAttribute("data-reason") !== wantReason));
        line.classList.toggle("other", !!other);
        line.classList.toggle("match", !!query && line.textContent.toLowerCase().indexOf(query) >= 0);
      });
    });
    var visible = docs.filter(shown);
    var lines = 0;
    visible.forEach(function (doc) {
      doc.querySelectorAll(".line.removed").forEach(function (line) {
        if (shown(line) && !line.classList.contains("other")) { lines += 1; }
      });
    });
    status.textContent = "Showing " + visible.length + " of " + docs.length + " documents, " +
      lines + " removed " + (lines === 1 ? "line" : "lines");
    var state = [];
    if (wantRule) { state.push("rule=" + encodeURIComponent(wantRule)); }
    if (wantReason) { state.push("reason=" + encodeURIComponent(wantReason)); }
    if (query) { state.push("q=" + encodeURIComponent(search.value.trim())); }
    if (state.length || location.hash.indexOf("=") >= 0) {
      try {
        history.replaceState(null, "", state.length ? "#" + state.join("&") : location.pathname);
      } catch (ignored) {
        // Some browsers refuse history changes on file:// pages; the filters still apply.
      }
    }
  }

  function fromHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) { return; }
    hash.split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      var key = pair.slice(0, at), value = decodeURIComponent(pair.slice(at + 1));
      if (key === "rule") { rule.value = value; }
      if (key === "reason") { reason.value = value; }
      if (key === "q") { search.value = value; }
    });
  }

  function jump(step) {
    var visible = docs.filter(shown);
    if (!visible.length) { return; }
    var top = window.scrollY + 60, index = -1;
    visible.forEach(function (doc, i) { if (doc.offsetTop <= top) { index = i; } });
    var next = visible[Math.min(Math.max(index + step, 0), visible.length - 1)];
    window.scrollTo(0, next.offsetTop - 50);
  }

  rule.addEventListener("change", apply);
  reason.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("previous").addEventListener("click", function () { jump(-1); });
  document.getElementById("next").addEventListener("click", function () { jump(1); });
  document.addEventListener("keydown", function (event) {
    if (event.target === search || event.metaKey || event.ctrlKey || event.altKey) { return; }
    if (event.key === "j" || event.key === "n") { jump(1); }
    if (event.key === "k" || event.key === "p") { jump(-1); }
  });
  document.querySelectorAll("button.pick").forEach(function (button) {
    button.addEventListener("click", function () {
      var select = document.getElementById(button.getAttribute("data-select"));
      select.value = button.getAttribute("data-value");
      apply();
      document.getElementById("controls").scrollIntoView();
    });
  });
  fromHash();
  apply();
})();
