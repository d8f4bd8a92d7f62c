// Filters of review.html: recommender, kind, verdict and finding code. Plain DOM, no library.
(function () {
  "use strict";
  var controls = ["f-recommender", "f-kind", "f-verdict", "f-code"].map(function (id) {
    return document.getElementById(id);
  });
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.sub"));
  var shown = document.getElementById("shown");

  function apply() {
    var recommender = controls[0].value, kind = controls[1].value;
    var verdict = controls[2].value, code = controls[3].value;
    var count = 0;
    sections.forEach(function (section) {
      var codes = (section.dataset.codes || "").split(" ");
      var match = (!recommender || section.dataset.recommender === recommender) &&
        (!kind || section.dataset.kind === kind) &&
        (!verdict || section.dataset.verdict === verdict) &&
        (!code || codes.indexOf(code) >= 0);
      section.classList.toggle("hidden", !match);
      section.querySelectorAll(".finding").forEach(function (finding) {
        finding.classList.toggle("hidden", Boolean(code) && finding.dataset.code !== code);
      });
      if (match && !section.classList.contains("batch")) { count += 1; }
    });
    shown.textContent = String(count);
  }

  controls.forEach(function (control) { control.addEventListener("change", apply); });
  apply();
})();
