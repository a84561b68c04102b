// Loads the app's embed.js from the origin given as ?app= (only an http(s) origin is taken),
// or from this page's own origin.
(function () {
  var origin = location.origin;
  var app = new URLSearchParams(location.search).get("app");
  if (app) {
    try {
      var url = new URL(app);
      if (url.protocol === "http:" || url.protocol === "https:") origin = url.origin;
    } catch (e) { /* not a URL: keep this origin */ }
  }
  var script = document.createElement("script");
  script.src = origin + "/embed.js";
  document.head.appendChild(script);
})();
