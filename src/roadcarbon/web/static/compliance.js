/* roadcarbon compliance page: leave out of the request the added-value fields that were left empty
   (and the currency of a price that was not given), so the page's address carries only what the user gave. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    var data = event.detail.formData;
    if (!form || form.id !== "compliance-form" || !data || typeof data.getAll !== "function") { return; }
    var names = [];
    data.forEach(function (_value, name) { if (names.indexOf(name) < 0) { names.push(name); } });
    var priced = {};
    names.forEach(function (name) {
      if (name.indexOf("in.") !== 0 && name.indexOf("price.") !== 0) { return; }
      var all = data.getAll(name);
      var at = all.findIndex(function (v) { return String(v).trim() !== ""; });
      data.delete(name);
      if (at >= 0) {
        data.append(name, all[at]);
        if (name.indexOf("price.") === 0) { priced[name.slice(6)] = at; }
      }
    });
    names.forEach(function (name) {
      if (name.indexOf("currency.") !== 0) { return; }
      var all = data.getAll(name);
      var at = priced[name.slice(9)];
      data.delete(name);
      if (at !== undefined) { data.append(name, all[at] !== undefined ? all[at] : all[0]); }
    });
  });
})();
