"""``ssg serve``: the preview server, with live reload and an error overlay.

The site is built into a private folder (never output/) with drafts and
scheduled pieces, served under the path of base_url, and rebuilt on every
change.  Requests read the folder only between builds, so a half-built site
is never served.  HTML responses get a small script that reloads the page
after a good build and overlays the error after a bad one; the last good
pages stay underneath.
"""

from __future__ import annotations

import mimetypes
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ssg.config import load_config
from ssg.errors import SiteError
from ssg.preview import PreviewState, Visible, problem_details
from ssg.report import print_problems, print_warnings, rebuild_line
from ssg.watch import SiteWatcher

EVENTS_PATH = "/__ssg__/events"
SCRIPT_PATH = "/__ssg__/reload.js"
PORT_ATTEMPTS = 20
BUILD_WAIT_SECONDS = 30.0
"""How long a request waits for the build in progress before it is answered 503, retry."""
STREAM_CHECK_SECONDS = 0.25
"""How often a live-reload stream looks whether its tab is still there."""
KEEPALIVE_SECONDS = 15.0
"""Quiet time after which a stream sends a comment, so that proxies keep it open."""


@dataclass(frozen=True)
class Answer:
    """A response, read while the gate was open, sent after it."""

    status: HTTPStatus
    data: bytes = b""
    kind: str = ""
    location: str | None = None


class PreviewServer(ThreadingHTTPServer):
    """Serves output_dir as `state` allows: a thread per connection, each live-reload stream keeping its own."""

    daemon_threads = True
    allow_reuse_address = True  # on Linux: rebind past TIME_WAIT, still refused while in use
    request_queue_size = 512  # the stdlib's 5 drops connections when many tabs reload at once
    build_wait = BUILD_WAIT_SECONDS
    """Seconds a request waits for the build in progress (tests shorten it)."""

    def __init__(self, address, output_dir: Path, state: PreviewState):
        self.output_dir = output_dir
        self.state = state
        self.script = resources.files("ssg").joinpath("reload.js").read_bytes()
        super().__init__(address, PreviewHandler)

    def server_close(self) -> None:
        self.state.close()
        super().server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args) -> None:  # format: the stdlib's name for it
        pass  # the terminal is for build messages

    def do_GET(self) -> None:  # the stdlib's name
        url = urlsplit(self.path).path
        if url == EVENTS_PATH:
            return self.stream_events()
        if url == SCRIPT_PATH:
            return self.send(Answer(HTTPStatus.OK, self.server.script, "text/javascript; charset=utf-8"))
        with self.server.state.reading(self.server.build_wait) as visible:
            answer = self.answer(url, visible) if visible else busy_page()
        self.send(answer)

    def do_HEAD(self) -> None:
        self.do_GET()

    def answer(self, url: str, visible: Visible) -> Answer:
        """The file at url in the build visible, a redirect to where it is, or the 404 page."""
        base = visible.base_path
        if url.startswith(base):
            output_dir = self.server.output_dir.resolve()
            out_file = (output_dir / unquote(url[len(base) :])).resolve()
            if out_file.is_dir() and out_file.is_relative_to(output_dir):
                if not url.endswith("/"):
                    return Answer(HTTPStatus.FOUND, location=url + "/")
                out_file = out_file / "index.html"
            if out_file.is_file() and out_file.is_relative_to(output_dir):
                return file_answer(HTTPStatus.OK, out_file, visible)
        if not url.startswith(base) and (url == "/" or url + "/" == base):
            return Answer(HTTPStatus.FOUND, location=base)
        moved = visible.moved(url)
        if moved:
            return Answer(HTTPStatus.FOUND, location=moved)
        if not visible.built:
            return nothing_built_page(visible)
        page = self.server.output_dir / "404.html"
        if page.is_file():
            return file_answer(HTTPStatus.NOT_FOUND, page, visible)
        return Answer(HTTPStatus.NOT_FOUND, inject_script(b"<!doctype html><title>Not found</title><h1>Not found</h1>", visible.version), "text/html; charset=utf-8")

    def send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        if answer.location:
            self.send_header("Location", answer.location)
        if answer.kind:
            self.send_header("Content-Type", answer.kind)
        if answer.status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Length", str(len(answer.data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.data)

    def stream_events(self) -> None:
        """Server-sent events: the state now, then every change of it, until the tab goes."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":
            return
        last = None
        quiet_since = time.monotonic()
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            # Waits are short because a closed tab is only seen by looking at
            # the socket: waiting for news alone would keep this thread for
            # as long as nothing changes.
            while not self.client_gone():
                message = state.next_message(last, timeout=STREAM_CHECK_SECONDS)
                if state.closed:
                    break
                # None: no news yet, as while the first build runs (a tab opened that early waits for it).
                if message != last:
                    chunk, last = f"data: {message}\n\n", message
                elif time.monotonic() - quiet_since >= KEEPALIVE_SECONDS:
                    chunk = ": still here\n\n"
                else:
                    continue
                self.wfile.write(chunk.encode())
                self.wfile.flush()
                quiet_since = time.monotonic()
        except OSError:  # the tab went while we wrote to it
            pass

    def client_gone(self) -> bool:
        """Whether the other end closed the connection (a browser sends nothing more on a stream)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


def file_answer(status: HTTPStatus, out_file: Path, visible: Visible) -> Answer:
    data = out_file.read_bytes()
    kind = mimetypes.guess_type(out_file.name)[0] or "application/octet-stream"
    if kind == "text/html":
        data = inject_script(data, visible.version)
    if kind.startswith("text/") or kind in ("application/xml", "application/atom+xml", "image/svg+xml", "application/javascript"):
        kind += "; charset=utf-8"
    return Answer(status, data, kind)


def nothing_built_page(visible: Visible) -> Answer:
    """Every address before the first good build: what stops it, in the page itself (the overlay needs a script)."""
    items = "".join(
        f"<li><p><code>{escape(problem['location'])}</code>: {escape(problem['message'])}</p>" + (f"<p>hint: {escape(problem['hint'])}</p>" if problem["hint"] else "") + "</li>"
        for problem in visible.problems
    )
    page = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Nothing built yet</title>'
        "<h1>Nothing has been built yet</h1>"
        f"<p>ssg could not build the site:</p><ul>{items}</ul>"
        "<p>This page shows the site by itself as soon as that is fixed.</p></html>"
    )
    return Answer(HTTPStatus.SERVICE_UNAVAILABLE if visible.problems else HTTPStatus.NOT_FOUND, inject_script(page.encode(), visible.version), "text/html; charset=utf-8")


def busy_page() -> Answer:
    """For a request that waited BUILD_WAIT_SECONDS: the script reloads it when the build is done."""
    page = b"<!doctype html><title>Building</title><p>ssg is still building the site; this page reloads when it is done.</p>"
    return Answer(HTTPStatus.SERVICE_UNAVAILABLE, inject_script(page, ""), "text/html; charset=utf-8")


def inject_script(html: bytes, version: str) -> bytes:
    """Add the live-reload script to a page, before </body> if it has one.

    The script is told the build the page comes from, so that a build that
    ends before the page connects still reloads it.
    """
    tag = f'<script src="{SCRIPT_PATH}" data-version="{version}"></script>'.encode()
    index = html.lower().rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


def bind(host: str, port: int, output_dir: Path, state: PreviewState) -> PreviewServer:
    """A server on the first free port from `port` on (port 0: any free port)."""
    last_error: OSError | None = None
    for candidate in range(port, port + PORT_ATTEMPTS) if port else [0]:
        try:
            return PreviewServer((host, candidate), output_dir, state)
        except OSError as error:
            last_error = error
    raise SiteError.at("ssg serve", None, f"no free port from {port} to {port + PORT_ATTEMPTS - 1} on {host}: {last_error}", "pass another one with --port")


def serve(site_dir: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = True, open_browser: bool = False, base_url: str | None = None, editions: tuple[str, ...] = ()) -> int:
    """Build, serve and watch until Ctrl-C; returns the exit code."""
    config = load_config(site_dir, base_url=base_url)  # fail early on broken settings
    if host in ("0.0.0.0", "::"):
        print(f"ssg: warning: serving on {host} shows your drafts to every machine on the network", file=sys.stderr)
    preview_dir = Path(tempfile.mkdtemp(prefix="ssg-serve-")) / "site"
    state = PreviewState(config.base_path)

    def on_build(report, error: SiteError | None, seconds: float) -> None:
        problems = [problem_details(p, config.site_dir) for p in error.problems] if error else None
        base_path = watcher.builder.config.base_path if watcher.builder else None
        try:
            if error is not None:
                print_problems(error, failed_build=False, what=None if state.built else "nothing to show yet; waiting for the fix")
            else:
                print_warnings(report.warnings)
                print(rebuild_line(report, seconds), flush=True)
        finally:  # whatever happens to the terminal, the requests waiting are let in
            # The search index and the editions, made once edits settle, reload no tab: the page shown is as it was.
            moved = state.finish_build(bool(report and set(report.written) - set(report.editions)), problems, base_path)
        if moved:
            print(f"base_url changed: now serving at {origin}{base_path}", flush=True)

    watcher = SiteWatcher(site_dir, on_build, output_dir=preview_dir, base_url=base_url, drafts=drafts, editions=editions, on_start=state.start_build)
    server = bind(host, port, preview_dir, state)
    origin = f"http://{_shown_host(host)}:{server.server_address[1]}"
    url = origin + config.base_path
    watching = threading.Thread(target=watcher.run, name="ssg-watch", daemon=True)
    watching.start()
    print(f"Serving {config.title!r} at {url} (Ctrl-C to stop)", flush=True)
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        watcher.stop()
        server.server_close()
        watching.join(timeout=5)
        shutil.rmtree(preview_dir.parent, ignore_errors=True)
    return 0


def _shown_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host
