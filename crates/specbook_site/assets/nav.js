// "All specs" on every page: the list is read from the search index's documents the first
// time it is opened, grouped by status in lifecycle order, so pages stay small at any size.
(function () {
  "use strict";
  var box = document.querySelector("details.all-specs");
  if (!box) { return; }
  var root = box.dataset.root || "";
  var order = (box.dataset.statuses || "").split("\n").filter(Boolean);
  var loaded = false;
  box.addEventListener("toggle", function () {
    if (!box.open || loaded) { return; }
    loaded = true;
    fetch(root + "search/docs.json").then(function (r) { return r.ok ? r.json() : []; }).then(function (docs) {
      var groups = new Map();
      order.forEach(function (status) { groups.set(status, []); });
      docs.forEach(function (doc) {
        var status = doc.status || "(no status)";
        if (!groups.has(status)) { groups.set(status, []); }
        groups.get(status).push(doc);
      });
      var nav = box.querySelector("nav");
      groups.forEach(function (list, status) {
        if (!list.length) { return; }
        var heading = document.createElement("h2");
        heading.textContent = status + " (" + list.length + ")";
        var ol = document.createElement("ol");
        list.forEach(function (doc) {
          var li = document.createElement("li");
          var link = document.createElement("a");
          link.href = root + doc.url;
          link.textContent = doc.id + " " + doc.title;
          if (doc.id === box.dataset.current) { link.setAttribute("aria-current", "page"); }
          li.append(link);
          ol.append(li);
        });
        nav.append(heading, ol);
      });
    }).catch(function () {});
  });
})();
