/*
 * Civic embed: put the citizen service inside any page with one script and one element.
 *
 *   <script src="https://civic.example/embed.js" defer></script>
 *   <div data-civic="/file" data-civic-lang="zh-CN" data-civic-color="#a61b1b"
 *        data-civic-font-scale="1.25" data-civic-title="提交诉求"></div>
 *
 * Each [data-civic] element gets an iframe of that route of the app (from the origin this
 * script was loaded from) with ?embed=1, which drops the app's own header and footer. The app
 * reports its content height; this script sizes the iframe to it, so the frame never scrolls
 * by itself. Only messages from the app's origin, sent by that very frame, are believed.
 *
 * Message protocol (app → portal), posted to the parent window:
 *   { "type": "civic:height", "height": <CSS pixels, integer> }
 *   { "type": "civic:navigate", "path": "/cases/20261126-0042" }   (after in-app navigation)
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var appOrigin = new URL(script ? script.src : location.href).origin;
  var frames = [];

  function param(query, name, value) {
    if (value) query.push(name + "=" + encodeURIComponent(value));
  }

  function mount(host) {
    if (host.getAttribute("data-civic-mounted")) return;
    host.setAttribute("data-civic-mounted", "1");
    var path = host.getAttribute("data-civic") || "/";
    if (path.charAt(0) !== "/") path = "/" + path;
    var query = ["embed=1"];
    param(query, "lang", host.getAttribute("data-civic-lang"));
    param(query, "color", host.getAttribute("data-civic-color"));
    param(query, "font_scale", host.getAttribute("data-civic-font-scale"));
    var frame = document.createElement("iframe");
    frame.src = appOrigin + path + (path.indexOf("?") < 0 ? "?" : "&") + query.join("&");
    frame.title = host.getAttribute("data-civic-title") || "12345";
    // Location for "use my location", clipboard for the tracking code's copy button.
    frame.setAttribute("allow", "geolocation; clipboard-write");
    frame.style.cssText = "display:block;width:100%;border:0;height:480px;overflow:hidden";
    host.appendChild(frame);
    frames.push(frame);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== appOrigin) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow !== event.source) continue;
      if (data.type === "civic:height") {
        var height = Math.ceil(Number(data.height));
        if (isFinite(height) && height > 0 && height < 100000) {
          frames[i].style.height = height + "px";
        }
      }
    }
  });

  function mountAll() {
    var hosts = document.querySelectorAll("[data-civic]");
    for (var i = 0; i < hosts.length; i++) mount(hosts[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
