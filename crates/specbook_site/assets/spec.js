// A spec page: on a narrow screen the contents list starts folded, so the text comes first.
(function () {
  "use strict";
  var contents = document.querySelector("nav.toc details");
  if (contents && window.matchMedia("(max-width: 50rem)").matches) {
    contents.open = false;
  }
})();
