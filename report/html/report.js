"use strict";
// Filtering for the findings: by severity, policy and free text (resource,
// message, policy). The page reads fully without it; this only hides rows.
(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.f"));
  var text = rows.map(function (r) { return r.textContent.toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.group"));
  var groupOf = rows.map(function (r) { return groups.indexOf(r.closest("details.group")); });
  var totals = groups.map(function (g) { return g.querySelectorAll("tr.f").length; });
  var counters = groups.map(function (g) { return g.querySelector(".shown-count"); });
  var shown = document.getElementById("shown");
  var search = document.getElementById("q");
  var policy = document.getElementById("policy");
  var newOnly = document.getElementById("new-only");
  var sevBoxes = Array.prototype.slice.call(form.querySelectorAll("input[name=sev]"));
  function apply() {
    var sevs = {};
    sevBoxes.forEach(function (b) { sevs[b.value] = b.checked; });
    var q = search.value.trim().toLowerCase();
    var p = policy.value;
    var onlyNew = newOnly && newOnly.checked;
    var n = 0;
    var visible = groups.map(function () { return 0; });
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = sevs[r.getAttribute("data-sev")] !== false &&
        (p === "" || r.getAttribute("data-policy") === p) &&
        (!onlyNew || r.classList.contains("new")) &&
        (q === "" || text[i].indexOf(q) >= 0);
      if (r.hidden === ok) { r.hidden = !ok; }
      if (ok) { n++; if (groupOf[i] >= 0) { visible[groupOf[i]]++; } }
    }
    groups.forEach(function (g, j) {
      var hide = totals[j] > 0 && visible[j] === 0;
      if (g.hidden !== hide) { g.hidden = hide; }
      if (counters[j]) { counters[j].textContent = visible[j] === totals[j] ? "" : visible[j] + " of "; }
    });
    shown.textContent = n + " of " + rows.length + " findings shown (suppressed ones included)";
  }
  var timer = 0;
  function later() { clearTimeout(timer); timer = setTimeout(apply, 120); }
  form.addEventListener("change", apply);
  search.addEventListener("input", later);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.hidden = false;
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = groups.filter(function (g) { return !g.open; });
    opened.forEach(function (g) { g.open = true; });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (g) { g.open = false; }); });
  apply();
})();
