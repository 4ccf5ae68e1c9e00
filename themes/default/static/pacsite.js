// pacsite: small conveniences only. Every page reads fully without JavaScript.
(function () {
  "use strict";
  function cellValue(cell) {
    if (!cell) return "";
    if (cell.dataset.sort !== undefined) return cell.dataset.sort;
    var text = cell.textContent.trim();
    var number = text.replace(/[\s\u00a0\u202f€$£%+]/g, "").replace("−", "-");
    if (/^-?\d+([.,]\d+)?$/.test(number)) {
      return parseFloat(number.replace(",", "."));
    }
    return text.toLowerCase();
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[index]), y = cellValue(b.cells[index]);
      if (x === y) return 0;
      var order = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead;
    if (!head || !head.rows[0]) return;
    Array.prototype.forEach.call(head.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, index, th); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, index, th); }
      });
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
})();
// On a phone the families list would push the page's content below the fold.
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.sidebar-box[open]").forEach(function (box) { box.removeAttribute("open"); });
  }
})();
