// Runs before the app, as a classic script, so it works in browsers too old for the app.
// 1. Applies the saved language and elderly mode before the first paint (no flash).
// 2. Checks that the browser can run the app: WebAssembly with reference types, which
//    rustc emits (Chrome 96+, Safari/iOS 15+). Where it cannot, it shows the plain page
//    with the hotline that index.html carries, in both languages.
(function () {
  var html = document.documentElement;
  try {
    var params = new URLSearchParams(location.search);
    var lang = params.get("lang") || localStorage.getItem("civic.lang");
    if (lang && /^en/i.test(lang)) html.lang = "en";
    var elderly = localStorage.getItem("civic.elderly");
    if (elderly === "1" || (elderly === null && window.matchMedia &&
        matchMedia("(prefers-contrast: more)").matches)) {
      html.classList.add("is-elderly");
    }
  } catch (e) { /* storage may be blocked: defaults apply */ }

  // (module (table 0 externref) (func (param externref) (result externref) local.get 0))
  var probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 111, 1, 111,
    3, 2, 1, 0, 4, 4, 1, 111, 0, 0, 10, 6, 1, 4, 0, 32, 0, 11]);
  var ok = false;
  try {
    ok = typeof WebAssembly === "object" && WebAssembly.validate(probe);
  } catch (e) { ok = false; }
  if (!ok) {
    window.__civicUnsupported = true;
    var show = function () {
      var loading = document.getElementById("boot-loading");
      var unsupported = document.getElementById("boot-unsupported");
      if (loading) loading.hidden = true;
      if (unsupported) unsupported.hidden = false;
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", show);
    } else {
      show();
    }
  }
})();
