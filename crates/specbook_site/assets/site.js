// The catalog's filters. Runs without any request to another host.
(function () {
  "use strict";
  var status = document.getElementById("filter-status");
  var team = document.getElementById("filter-team");
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll("#catalog tbody tr");
  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!status.value || row.dataset.status === status.value) &&
        (!team.value || row.dataset.team === team.value);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + (count === 1 ? " spec" : " specs");
  }
  if (status && team) {
    status.addEventListener("change", apply);
    team.addEventListener("change", apply);
  }
})();
