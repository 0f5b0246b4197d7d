// ssg serve's live reload and error overlay. Added to HTML responses by the
// preview server only; never written into the output folder.
(() => {
  "use strict";
  // The build this page was served from ("" for the "still building" page).
  let version = document.currentScript ? document.currentScript.dataset.version : null;
  let overlay = null;

  // The overlay lives in a shadow root: no stylesheet of the site reaches
  // inside, and the host's inline !important declarations beat any rule of
  // the site about the host itself. Every colour pair is 7:1 or more.
  const STYLE = `
    .backdrop { color-scheme: light dark; position: fixed; inset: 0; overflow: auto; padding: 2rem 1rem; box-sizing: border-box;
      background: rgb(20 16 28 / .55); }
    .panel { box-sizing: border-box; max-width: 60rem; margin: 0 auto; padding: 1.5rem 2rem;
      border-radius: 8px; box-shadow: 0 1rem 3rem rgb(0 0 0 / .4);
      background: #fffbf7; color: #1f1a24; font: 15px/1.5 ui-monospace, Menlo, Consolas, monospace; text-align: left; }
    h2 { margin: 0 0 1rem; font: 600 1.2rem/1.3 system-ui, sans-serif; color: #8c1533; }
    .location { margin: 1rem 0 .25rem; font-weight: 600; white-space: pre-wrap; overflow-wrap: anywhere; }
    .hint { margin: 0 0 .5rem; color: #463b57; white-space: pre-wrap; }
    pre { margin: 0; padding: .75rem; border-radius: 6px; overflow: auto; font: inherit;
      background: #f2edf6; color: #1f1a24; }
    .line { display: block; white-space: pre; }
    .line.bad { background: #ffdfe6; color: #3d0a18; font-weight: 600; }
    .note { margin: 1.5rem 0 0; color: #463b57; font-family: system-ui, sans-serif; }
    @media (prefers-color-scheme: dark) {
      .panel { background: #16121e; color: #fbeff2; }
      h2 { color: #ffb3c1; }
      .hint, .note { color: #d3c8ea; }
      pre { background: #0b0910; color: #f1eaf6; }
      .line.bad { background: #5a1d2e; color: #ffffff; }
    }`;

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showError(problems, built) {
    hideError();
    overlay = document.createElement("ssg-error-overlay");
    overlay.id = "ssg-error-overlay";
    overlay.style.cssText = "all:initial!important;display:block!important;position:fixed!important;" +
      "inset:0!important;z-index:2147483647!important";
    const root = overlay.attachShadow({ mode: "open" });
    const backdrop = element("div", "backdrop");
    const panel = element("div", "panel");
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-label", "Build error");
    panel.append(element("h2", "", built ? "ssg: the last save could not be built" : "ssg: the site could not be built"));
    for (const problem of problems) {
      panel.append(element("p", "location", problem.location + ": " + problem.message));
      if (problem.hint) panel.append(element("p", "hint", "hint: " + problem.hint));
      if (problem.excerpt && problem.excerpt.length) {
        const pre = element("pre", "excerpt");
        for (const [number, text] of problem.excerpt) {
          pre.append(element("span", number === problem.line ? "line bad" : "line", String(number).padStart(4) + " | " + text));
        }
        panel.append(pre);
      }
    }
    panel.append(element("p", "note", built
      ? "The page below is the last good build. This message goes away by itself when the error is fixed."
      : "Nothing has been built yet. The site shows here by itself when the error is fixed."));
    backdrop.append(panel);
    root.append(element("style", "", STYLE), backdrop);
    (document.body || document.documentElement).append(overlay);
  }

  function connect() {
    const events = new EventSource("/__ssg__/events");
    events.onmessage = (message) => {
      const state = JSON.parse(message.data);
      if (version !== null && state.version !== version && !state.problems) {
        // After base_url changed, the server redirects this address to the new one.
        location.reload();
        return;
      }
      version = state.version;
      if (state.problems) showError(state.problems, state.built !== false); else hideError();
    };
    // When the server stops, reconnect every 300 ms ourselves (a browser's
    // own retries back off); a restarted server has a new version, so the
    // page reloads as soon as it is back.
    events.onerror = () => {
      events.close();
      setTimeout(connect, 300);
    };
  }

  connect();
})();
