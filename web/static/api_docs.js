// Swagger UI over planflow's own OpenAPI document, from the assets installed with the project.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
