/* roadcarbon compliance page: leave out of the request the added-value fields that were left empty
   (and the currency of a price that was not given), so the page's address carries only what the user gave. */
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "compliance-form") { return; }
    var params = event.detail.parameters;
    var given = {};
    Object.keys(params).forEach(function (name) {
      if (name.indexOf("in.") !== 0 && name.indexOf("price.") !== 0) { return; }
      var value = params[name];
      var values = (Array.isArray(value) ? value : [value]).filter(function (v) { return String(v).trim() !== ""; });
      if (values.length === 0) { delete params[name]; return; }
      params[name] = values[0];
      if (name.indexOf("price.") === 0) { given[name.slice(6)] = true; }
    });
    Object.keys(params).forEach(function (name) {
      if (name.indexOf("currency.") !== 0) { return; }
      var value = params[name];
      var values = Array.isArray(value) ? value : [value];
      if (!given[name.slice(9)]) { delete params[name]; } else { params[name] = values[0]; }
    });
  });
})();
