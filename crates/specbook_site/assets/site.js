// The catalog's filters. Runs without any request to another host. A catalog of more specs
// than one page holds comes in pages (index.html, catalog-2.html, ...); the first filter
// asked for loads every row from catalog.json (id, title, page, status, team, authors, last
// updated) and shows the matching ones of all pages.
(function () {
  "use strict";
  var status = document.getElementById("filter-status");
  var team = document.getElementById("filter-team");
  var shown = document.getElementById("shown");
  var table = document.getElementById("catalog");
  if (!status || !team || !table) { return; }
  var body = table.querySelector("tbody");
  var complete = table.dataset.complete === "true";
  var loading = null;
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text || "–";
    row.append(td);
    return td;
  }
  // Every row of the catalog, as the pages show them.
  function loadAll() {
    if (!loading) {
      loading = fetch((table.dataset.root || "") + "catalog.json")
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(r.status)); })
        .then(function (specs) {
          var rows = specs.map(function (spec) {
            var row = document.createElement("tr");
            row.dataset.status = spec[3];
            row.dataset.team = spec[4];
            cell(row, spec[0]);
            var title = cell(row, "");
            var link = document.createElement("a");
            link.href = spec[2];
            link.textContent = spec[1];
            title.replaceChildren(link);
            var badge = document.createElement("span");
            badge.className = "status";
            badge.dataset.status = spec[3];
            badge.textContent = spec[3] || "–";
            cell(row, "").replaceChildren(badge);
            cell(row, spec[4]);
            cell(row, spec[5]);
            cell(row, spec[6]);
            return row;
          });
          body.replaceChildren.apply(body, rows);
          var pager = document.getElementById("catalog-pager");
          if (pager) { pager.remove(); }
          complete = true;
        });
    }
    return loading;
  }
  function apply() {
    if (!complete && (status.value || team.value)) {
      shown.textContent = "loading every spec…";
      loadAll().then(apply, function () { shown.textContent = "the catalog could not be loaded"; });
      return;
    }
    var count = 0;
    body.querySelectorAll("tr").forEach(function (row) {
      var visible = (!status.value || row.dataset.status === status.value) &&
        (!team.value || row.dataset.team === team.value);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + (count === 1 ? " spec" : " specs");
  }
  status.addEventListener("change", apply);
  team.addEventListener("change", apply);
})();
