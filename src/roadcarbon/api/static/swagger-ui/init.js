// Starts Swagger UI on /docs from local assets (no CDN, no inline script: CSP-friendly).
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    oauth2RedirectUrl: window.location.origin + root.getAttribute("data-static") + "/oauth2-redirect.html",
  });
});
