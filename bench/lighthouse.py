"""Lighthouse's four scores for the anthology as a reader's phone sees it.

    .venv/bin/python bench/lighthouse.py [--keep DIR]

Builds the anthology for http://127.0.0.1:PORT/anthology/, serves it there (as
the browser quality gate does), runs Lighthouse 12.2.3 (pinned in package.json;
`npm ci` installs it) with its default mobile profile against the home page, a
prose piece, a verse piece and a tag page, and prints Markdown tables of the
scores and of the main measures (simulated slow 4G and a slow phone CPU), then
the audits that cost a page a point.  Exits 1 when a page scores
under 100 in any category or Lighthouse could not run; performance swings with
the machine's load, so run it on a quiet machine.  --keep DIR keeps the reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.sites import LIGHTHOUSE, serve_sites

PAGES = {
    "home": "",
    "prose piece": "the-orchard-under-the-moon/",
    "verse piece": "fog-liturgy/",
    "tag page": "tags/dawn/",
    "section": "night/",
    "contributors": "contributors/",
    "a contributor": "contributors/hana-mori/",
    "first lines": "first-lines/",
    "colophon": "colophon/",
}
CATEGORIES = {"performance": "Performance", "accessibility": "Accessibility", "best-practices": "Best practices", "seo": "SEO"}
METRICS = {
    "first-contentful-paint": "First paint",
    "largest-contentful-paint": "Largest paint",
    "total-blocking-time": "Blocking",
    "cumulative-layout-shift": "Layout shift",
    "total-byte-weight": "Weight",
}


def lighthouse(url: str, report: Path) -> dict:
    """Run Lighthouse on url; its JSON report (it always exits 0: read runtimeError)."""
    subprocess.run(
        ["npx", "--no", "lighthouse", url, f"--chrome-flags={' '.join(CHROMIUM_ARGS)}", "--output", "json", "--output-path", str(report), "--quiet"],
        cwd=REPO,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
        timeout=300,
    )
    return json.loads(report.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="DIR", type=Path, help="write the JSON reports into DIR")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        print("bench/lighthouse.py: Lighthouse is not installed\n  hint: run `npm ci` in the repository", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work, serve_sites(Path(work), names=("anthology",)) as sites:
        site = sites["anthology"]
        reports_dir = args.keep or Path(work)
        reports_dir.mkdir(parents=True, exist_ok=True)
        rows, measures, losses, failed = [], [], [], False
        for name, page in PAGES.items():
            started = time.monotonic()
            report = lighthouse(site.url + page, reports_dir / f"{name.replace(' ', '-')}.json")
            if report.get("runtimeError"):
                print(f"{name}: Lighthouse failed: {report['runtimeError']}", file=sys.stderr)
                failed = True
                continue
            scores = {key: round(100 * (report["categories"][key]["score"] or 0)) for key in CATEGORIES}
            failed |= any(score < 100 for score in scores.values())
            rows.append(f"| {name} (`/anthology/{page}`) | " + " | ".join(str(scores[key]) for key in CATEGORIES) + " |")
            measures.append(f"| {name} | " + " | ".join(report["audits"][key]["displayValue"].removeprefix("Total size was ") for key in METRICS) + " |")
            print(f"{name}: {' '.join(str(s) for s in scores.values())} in {time.monotonic() - started:.0f} s", file=sys.stderr)
            for key in CATEGORIES:
                for ref in report["categories"][key]["auditRefs"]:
                    audit = report["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                        losses.append(f"- {name}, {CATEGORIES[key]}: {audit['title']} ({audit.get('displayValue') or audit['score']})")
        version = report.get("lighthouseVersion", "?")
    print(f"Lighthouse {version}, mobile profile:\n")
    print("| page | " + " | ".join(CATEGORIES.values()) + " |")
    print("|---|" + "---:|" * len(CATEGORIES))
    print("\n".join(rows))
    print("\n| page | " + " | ".join(METRICS.values()) + " |")
    print("|---|" + "---:|" * len(METRICS))
    print("\n".join(measures))
    if losses:
        print("\nAudits that cost a point:\n" + "\n".join(losses))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
