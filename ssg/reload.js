// ssg serve's live reload and error overlay. Added to HTML responses by the
// preview server only; never written into the output folder.
(() => {
  "use strict";
  // The build this page was served from ("" for the "still building" page).
  let version = document.currentScript ? document.currentScript.dataset.version : null;
  let overlay = null;

  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showError(problems) {
    hideError();
    overlay = document.createElement("div");
    overlay.id = "ssg-error-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build error");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,16,28,.94);color:#fbeff2;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const title = document.createElement("h2");
    title.textContent = "ssg: the last save could not be built";
    title.style.cssText = "margin:0 0 1rem;font:600 1.2rem system-ui,sans-serif;color:#ffb3c1";
    overlay.append(title);
    for (const problem of problems) {
      const where = document.createElement("p");
      where.className = "ssg-error-location";
      where.textContent = problem.location + ": " + problem.message;
      where.style.cssText = "margin:1rem 0 .25rem;font-weight:600;white-space:pre-wrap";
      overlay.append(where);
      if (problem.hint) {
        const hint = document.createElement("p");
        hint.textContent = "hint: " + problem.hint;
        hint.style.cssText = "margin:0 0 .5rem;color:#cfc3e8;white-space:pre-wrap";
        overlay.append(hint);
      }
      if (problem.excerpt && problem.excerpt.length) {
        const pre = document.createElement("pre");
        pre.style.cssText = "margin:0;padding:.75rem;background:#0b0910;border-radius:6px;overflow:auto";
        for (const [number, text] of problem.excerpt) {
          const line = document.createElement("div");
          line.textContent = String(number).padStart(4) + " | " + text;
          if (number === problem.line) line.style.cssText = "background:#5a1d2e;color:#fff";
          pre.append(line);
        }
        overlay.append(pre);
      }
    }
    const note = document.createElement("p");
    note.textContent = "The page below is the last good build. This message goes away by itself when the error is fixed.";
    note.style.cssText = "margin-top:1.5rem;color:#cfc3e8;font-family:system-ui,sans-serif";
    overlay.append(note);
    document.body.append(overlay);
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
      if (state.problems) showError(state.problems); else hideError();
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
