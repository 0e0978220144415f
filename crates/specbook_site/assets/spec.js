// A spec page: on a narrow screen the contents list starts folded, so the text comes first;
// on a wide one it marks the section being read.
(function () {
  "use strict";
  var contents = document.querySelector("nav.toc details");
  if (contents && window.matchMedia("(max-width: 50rem)").matches) {
    contents.open = false;
  }
  var links = new Map();
  document.querySelectorAll("nav.toc a[href^='#']").forEach(function (a) {
    links.set(decodeURIComponent(a.getAttribute("href").slice(1)), a);
  });
  if (!links.size || !("IntersectionObserver" in window)) { return; }
  var headings = Array.from(document.querySelectorAll(".body [id]")).filter(function (h) { return links.has(h.id); });
  var visible = new Set();
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) { visible.add(e.target); } else { visible.delete(e.target); } });
    var current = headings.find(function (h) { return visible.has(h); });
    if (!current) { return; }
    links.forEach(function (a) { a.classList.remove("active"); });
    links.get(current.id).classList.add("active");
  }, { rootMargin: "0px 0px -60% 0px" });
  headings.forEach(function (h) { observer.observe(h); });
})();
