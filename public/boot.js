// Runs before the app, as a classic script, so it works in browsers too old for the app.
// 1. Applies the language (as the app will choose it) and elderly mode before the first
//    paint, so the skeleton of a route's page (scripts/route-pages.mjs) is in its language.
// 2. Embedded in a portal (?embed=1, see public/embed.js and the README): hides the app's
//    header and footer, applies the portal's validated theme (?color=#rrggbb with enough
//    contrast on white, ?font_scale=1 to 2), keeps these parameters on every in-app
//    navigation, and reports the content height to the parent page.
// 3. Checks that the browser can run the app: WebAssembly with reference types, which
//    rustc emits (Chrome 96+, Safari/iOS 15+). Where it cannot, it shows the plain page
//    with the hotline that index.html carries, in both languages.
// 4. Where it can, starts the page's data at once, beside the app's download: /meta and
//    the route's own call, as the app will ask for them (src/api.rs takes these answers,
//    `take_early`). A guess that does not match what the app asks costs one request, never
//    a wrong answer; what the app has not taken is forgotten at its first navigation.
(function () {
  var html = document.documentElement;
  var params = new URLSearchParams(location.search);
  // The language as the app will choose it (src/model/locale.rs, `choose_locale`): the
  // first of ?lang=, the saved choice and the browser's languages that is Chinese or English.
  var saved = null;
  try { saved = localStorage.getItem("civic.lang"); } catch (e) { /* blocked: not saved */ }
  var tags = [params.get("lang"), saved].concat(navigator.languages || [navigator.language]);
  for (var i = 0; i < tags.length; i++) {
    var primary = String(tags[i] || "").trim().split(/[-_]/)[0].toLowerCase();
    if (primary === "zh") break;
    if (primary === "en") { html.lang = "en"; break; }
  }
  // The skeleton in index.html shows the home page's heading only at the home page.
  if (location.pathname === "/" || location.pathname === "/index.html") html.classList.add("is-home");
  try {
    var elderly = localStorage.getItem("civic.elderly");
    if (elderly === "1" || (elderly === null && window.matchMedia &&
        matchMedia("(prefers-contrast: more)").matches)) {
      html.classList.add("is-elderly");
    }
  } catch (e) { /* storage may be blocked: defaults apply */ }

  // The relative luminance of #rrggbb (WCAG 2).
  function luminance(hex) {
    var l = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  var kept = [];
  if (params.get("embed") === "1") {
    kept.push(["embed", "1"]);
    html.classList.add("is-embedded");
  }
  var color = params.get("color");
  // A colour is used only if white text on it keeps a 4.5:1 contrast; anything else is
  // ignored, and nothing from the URL reaches CSS but a checked #rrggbb or number.
  if (color && /^#[0-9a-fA-F]{6}$/.test(color) && 1.05 / (luminance(color) + 0.05) >= 4.5) {
    html.style.setProperty("--civic-portal-primary", color);
    kept.push(["color", color]);
  }
  var scale = params.get("font_scale");
  if (scale && /^[12](\.[0-9]{1,2})?$/.test(scale) && Number(scale) >= 1 && Number(scale) <= 2) {
    html.style.setProperty("--civic-portal-scale", scale);
    kept.push(["font_scale", scale]);
  }
  if (kept.length && params.get("lang")) kept.push(["lang", params.get("lang")]);
  if (kept.length) {
    ["pushState", "replaceState"].forEach(function (name) {
      var original = history[name];
      history[name] = function (state, title, url) {
        if (url !== undefined && url !== null) {
          var next = new URL(url, location.href);
          kept.forEach(function (p) {
            if (!next.searchParams.has(p[0])) next.searchParams.set(p[0], p[1]);
          });
          url = next.pathname + next.search + next.hash;
        }
        return original.call(this, state, title, url);
      };
    });
  }
  if (html.classList.contains("is-embedded") && window.parent !== window) {
    var last = 0;
    var report = function () {
      var height = Math.ceil(html.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        // Only a number is sent, so any parent may hear it; embed.js checks who sent it.
        window.parent.postMessage({ type: "civic:height", height: height }, "*");
      }
    };
    if (window.ResizeObserver) new ResizeObserver(report).observe(html);
    // Browsers pause observers in frames scrolled out of view; a slow timer still runs.
    setInterval(report, 1000);
    window.addEventListener("load", report);
  }

  // (module (table 0 externref) (func (param externref) (result externref) local.get 0))
  var probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 111, 1, 111,
    3, 2, 1, 0, 4, 4, 1, 111, 0, 0, 10, 6, 1, 4, 0, 32, 0, 11]);
  var ok = false;
  try {
    ok = typeof WebAssembly === "object" && WebAssembly.validate(probe);
  } catch (e) { ok = false; }
  if (ok && window.fetch && window.URL && window.URLSearchParams) {
    startEarly(new URLSearchParams(location.search));
  }
  if (!ok) {
    window.__civicUnsupported = true;
    var show = function () {
      var loading = document.getElementById("boot-loading");
      var page = document.getElementById("boot-page");
      var unsupported = document.getElementById("boot-unsupported");
      if (loading) loading.hidden = true;
      if (page) page.hidden = true;
      if (unsupported) unsupported.hidden = false;
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", show);
    } else {
      show();
    }
  }

  function startEarly(query) {
    var early = {};
    var meta = document.querySelector("meta[name=civic-api-base]");
    var base = ((meta && meta.content) || "").replace(/\/+$/, "") + "/api/v1";
    var ask = function (path) {
      var url = new URL(base + path, location.href).href;
      early[url] = fetch(url, { headers: { Accept: "application/json" } });
      // Handled here, so a failure nobody takes is not reported; the app sees it when it
      // takes the answer, and asks again on "try again".
      early[url].catch(function () {});
      return early[url];
    };
    // A shared case's or document's own words, drawn from that answer while the app is still
    // on its way (the app replaces them when it starts): the title, and the resident's
    // published text or the document's first paragraph, with the classes the app gives them,
    // so the largest thing on screen paints once, early. Text only (textContent), no markup.
    var draw = function (answer, parts) {
      answer.then(function (r) { return r.ok ? r.clone().json() : null; }).then(function (data) {
        var loading = document.getElementById("boot-loading");
        var shown = data && parts(data);
        if (!loading || !shown || !shown.title) return;
        var page = document.createElement("div");
        page.id = "boot-page";
        var add = function (parent, tag, className, text) {
          var el = document.createElement(tag);
          if (className) el.className = className;
          if (text !== undefined) el.textContent = text;
          parent.appendChild(el);
          return el;
        };
        var heading = add(page, "h1", "c-page-heading", shown.title);
        if (shown.lang) heading.lang = shown.lang;
        if (shown.text) {
          var box = add(page, shown.box[0], shown.box[1]);
          if (shown.lang) box.lang = shown.lang;
          add(box, "p", shown.textClass, shown.text);
        }
        // In place of "Loading", in one change, so nothing already on screen moves.
        loading.hidden = true;
        loading.parentNode.insertBefore(page, loading.nextSibling);
      }).catch(function () {});
    };
    var firstParagraph = function (body) {
      for (var i = 0; body && i < body.length; i++) {
        if (body[i].type === "paragraph") return body[i].text;
      }
      return "";
    };
    var writing = function (doc) {
      return {
        title: doc.summary && doc.summary.title, lang: doc.summary && doc.summary.language,
        text: firstParagraph(doc.body), box: ["div", "c-body"],
      };
    };
    // A page's query as the app turns it into the API's (same names, non-blank values, in
    // the order src/api.rs writes them).
    var list = function (endpoint, names) {
      var out = new URLSearchParams();
      names.forEach(function (name) {
        var value = query.get(name);
        if (value !== null && value.trim() !== "") {
          out.append(name, name === "year" ? String(parseInt(value, 10)) : value);
        }
      });
      var text = out.toString();
      return endpoint + (text ? "?" + text : "");
    };
    var path = location.pathname.replace(/\/+$/, "") || "/";
    var m;
    ask("/meta");
    if (path === "/") {
      ask("/announcements?limit=5");
      ask("/cases?sort=replied&limit=5");
    } else if (path === "/cases") {
      ask(list("/cases", ["q", "district", "category", "kind", "status", "department", "from", "to", "sort"]));
    } else if ((m = /^\/cases\/([0-9]{8}-[0-9]{4,})$/.exec(path))) {
      draw(ask("/cases/" + m[1]), function (c) {
        // Only what its resident agreed to publish is in a public answer; shown only then.
        return {
          title: c.summary && c.summary.title, text: c.published ? c.description : "",
          box: ["section", "c-section"], textClass: "c-case__text",
        };
      });
    } else if (path === "/track" && /^[0-9]{8}-[0-9]{4,}$/.test(query.get("number") || "")) {
      // Not for a case filed on this device: the app asks with its code, for the owner's view.
      var mine = "";
      try { mine = localStorage.getItem("civic.my_cases") || ""; } catch (e) { /* none */ }
      if (mine.indexOf(query.get("number")) < 0) ask("/cases/" + query.get("number"));
    } else if (path === "/documents") {
      var year = query.get("year");
      if (year !== null && !/^\s*[0-9]+\s*$/.test(year)) query.delete("year");
      ask(list("/documents", ["q", "topic", "agency", "doc_type", "year", "validity"]));
    } else if ((m = /^\/(documents|announcements)\/([0-9]+)$/.exec(path))) {
      draw(ask("/" + m[1] + "/" + m[2]), writing);
    } else if (path === "/announcements") {
      ask(list("/announcements", ["q"]));
    } else if (path === "/statistics") {
      ask(list("/stats", ["period", "from", "to", "district"]));
    }
    window.__civicEarly = early;
    var forget = function () { window.__civicEarly = {}; };
    var push = history.pushState;
    history.pushState = function () {
      forget();
      return push.apply(this, arguments);
    };
    window.addEventListener("popstate", forget);
  }
})();
