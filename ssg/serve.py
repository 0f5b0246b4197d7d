"""``ssg serve``: the preview server, with live reload and an error overlay.

The site is built into a private folder (never output/) with drafts and
scheduled pieces, served under the same path as the published site, and
rebuilt on every change.  A request that arrives during a rebuild waits for
it, so a half-built site is never served.  HTML responses get a small script
that reloads the page after a good build and overlays the error after a bad
one; the last good pages stay underneath.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import socket
import sys
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ssg.build import BuildReport
from ssg.errors import Problem, SiteError
from ssg.watch import SiteWatcher

EVENTS_PATH = "/__ssg__/events"
SCRIPT_PATH = "/__ssg__/reload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}"></script>'.encode()
EXCERPT_LINES = 3
"""Lines of source shown above and below an error's line."""
PORT_ATTEMPTS = 20


@dataclass
class PreviewState:
    """What the browser tabs are told: the build they show, or what broke it."""

    server_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    epoch: int = 0
    """Counts the good builds that changed something."""
    building: bool = True
    problems: list[dict] | None = None
    condition: threading.Condition = field(default_factory=threading.Condition)

    def message(self) -> str:
        return json.dumps({"version": f"{self.server_id}-{self.epoch}", "problems": self.problems})

    def start_build(self) -> None:
        with self.condition:
            self.building = True

    def finish_build(self, changed: bool, problems: list[dict] | None) -> None:
        with self.condition:
            self.building = False
            if changed and not problems:
                self.epoch += 1
            self.problems = problems
            self.condition.notify_all()

    def wait_until_built(self, timeout: float = 60) -> None:
        with self.condition:
            self.condition.wait_for(lambda: not self.building, timeout=timeout)


def problem_details(problem: Problem, site_dir: Path) -> dict:
    """A problem for the overlay, with a few lines of the file around it."""
    excerpt = []
    if problem.line:
        try:
            lines = (site_dir / problem.path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        first = max(problem.line - EXCERPT_LINES, 1)
        excerpt = [[number, lines[number - 1]] for number in range(first, min(problem.line + EXCERPT_LINES, len(lines)) + 1)]
    return {"location": problem.location, "line": problem.line, "message": problem.message, "hint": problem.hint, "excerpt": excerpt}


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # on Linux: rebind past TIME_WAIT, still refused while in use

    def __init__(self, address, output_dir: Path, base_path: str, state: PreviewState):
        self.output_dir = output_dir
        self.base_path = base_path
        self.state = state
        self.script = resources.files("ssg").joinpath("reload.js").read_bytes()
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal is for build messages

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            return self.stream_events()
        if path == SCRIPT_PATH:
            return self.send(HTTPStatus.OK, self.server.script, "text/javascript; charset=utf-8")
        base = self.server.base_path
        if not path.startswith(base):
            if path + "/" == base or path == "/":
                return self.redirect(base)
            return self.not_found()
        self.server.state.wait_until_built()
        relative = unquote(path[len(base):])
        file = (self.server.output_dir / relative).resolve()
        if not file.is_relative_to(self.server.output_dir.resolve()):
            return self.not_found()
        if file.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            file = file / "index.html"
        if not file.is_file():
            return self.not_found()
        self.send_file(HTTPStatus.OK, file)

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def send_file(self, status: HTTPStatus, file: Path) -> None:
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject_script(data)
        if kind.startswith("text/") or kind in ("application/xml", "application/atom+xml", "image/svg+xml", "application/javascript"):
            kind += "; charset=utf-8"
        self.send(status, data, kind)

    def send(self, status: HTTPStatus, data: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def not_found(self) -> None:
        page = self.server.output_dir / "404.html"
        if page.is_file():
            self.send_file(HTTPStatus.NOT_FOUND, page)
        else:
            self.send(HTTPStatus.NOT_FOUND, inject_script(b"<!doctype html><title>Not found</title><h1>Not found</h1>"), "text/html; charset=utf-8")

    def stream_events(self) -> None:
        """Server-sent events: the state now, then every change of it."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        last = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while True:
                with state.condition:
                    state.condition.wait_for(lambda: not state.building and state.message() != last, timeout=15)
                    message = state.message() if not state.building else last
                if message != last:
                    self.wfile.write(f"data: {message}\n\n".encode())
                    last = message
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def inject_script(html: bytes) -> bytes:
    """Add the live-reload script to a page, before </body> if it has one."""
    index = html.lower().rfind(b"</body>")
    return html[:index] + SCRIPT_TAG + html[index:] if index >= 0 else html + SCRIPT_TAG


def bind(host: str, port: int, output_dir: Path, base_path: str, state: PreviewState) -> PreviewServer:
    """A server on the first free port from `port` on (port 0: any free port)."""
    last_error: OSError | None = None
    for candidate in range(port, port + PORT_ATTEMPTS) if port else [0]:
        try:
            return PreviewServer((host, candidate), output_dir, base_path, state)
        except OSError as error:
            last_error = error
    raise SiteError.at("ssg serve", None, f"no free port from {port} to {port + PORT_ATTEMPTS - 1} on {host}: {last_error}", "pass another one with --port")


def serve(site_dir: Path, *, host: str = "127.0.0.1", port: int = 8000, drafts: bool = True, open_browser: bool = False, base_url: str | None = None) -> int:
    """Build, serve and watch until Ctrl-C; returns the exit code."""
    from ssg.config import load_config

    config = load_config(site_dir, base_url=base_url)  # fail early on broken settings
    if host in ("0.0.0.0", "::"):
        print(f"ssg: warning: serving on {host} shows your drafts to every machine on the network", file=sys.stderr)
    preview_dir = Path(tempfile.mkdtemp(prefix="ssg-serve-")) / "site"
    state = PreviewState()

    def on_build(report: BuildReport | None, error: SiteError | None, seconds: float) -> None:
        if error is not None:
            from ssg.cli import print_problems

            print_problems(error, failed_build=False)
            state.finish_build(False, [problem_details(p, config.site_dir) for p in error.problems])
            return
        from ssg.cli import print_warnings, rebuild_line

        print_warnings(report.warnings)
        print(rebuild_line(report, seconds), flush=True)
        state.finish_build(bool(report.written), None)

    watcher = SiteWatcher(site_dir, on_build, output_dir=preview_dir, base_url=base_url, drafts=drafts, on_start=state.start_build)
    server = bind(host, port, preview_dir, config.base_path, state)
    url = f"http://{_shown_host(host)}:{server.server_address[1]}{config.base_path}"
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
