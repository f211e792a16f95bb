"""``govopen collect SITES -o DIR`` and ``govopen fetch MANIFEST -o DIR``.

In: the command-line arguments. Out: the files and manifest (see ``collect`` and
``fetch``), a summary on stdout, the problems on stderr, and an exit code: collect exits
1 when nothing at all could be collected; fetch exits 1 when any file changed or could
not be fetched. Both say to ``pip install 'govopen[collect]'`` when httpx, protego or
warcio is missing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from ..errors import ParseError
from .manifest import MANIFEST
from .polite import DEFAULT_DELAY, Politeness

_EXTRA = ("httpx", "protego", "warcio")


def add_collect_commands(subparsers) -> None:
    """Register ``collect`` and ``fetch``; dispatch with ``args.func(args)``."""
    c = subparsers.add_parser(
        "collect", help="collect annual reports from agency sites, with a manifest",
        description="Follow each agency's report column (list pages and their pagination), "
                    "save the report pages and their attachments, and write manifest.csv "
                    "(URL, time, size, SHA-256 of every file). Polite: robots.txt, one "
                    "request at a time per host, a delay between requests.")
    c.add_argument("sites", metavar="SITES", help="CSV with columns agency,url")
    c.add_argument("-o", "--out", required=True, metavar="DIR", help="output folder")
    _politeness_arguments(c)
    c.add_argument("--warc", metavar="FILE", default=None,
                   help="also write every request and response to this WARC file (.warc.gz)")
    c.add_argument("--no-progress", action="store_true", help="no progress bars")
    c.set_defaults(func=run_collect)

    f = subparsers.add_parser(
        "fetch", help="rebuild a corpus from a manifest, verifying every file's SHA-256",
        description="Download every report page and attachment a manifest lists (or take "
                    "it from a WARC) and check its SHA-256. A file whose bytes changed is "
                    "not written at its path but kept under DIR/changed/, and the "
                    "command exits 1.")
    f.add_argument("manifest", metavar="MANIFEST", help=f"a {MANIFEST} from govopen collect")
    f.add_argument("-o", "--out", required=True, metavar="DIR", help="output folder")
    f.add_argument("--warc", metavar="FILE", default=None,
                   help="take the files from this WARC instead of the network")
    f.add_argument("--lists", action="store_true",
                   help="also rebuild the list pages (by default only reports and attachments)")
    _politeness_arguments(f)
    f.add_argument("--no-progress", action="store_true", help="no progress bar")
    f.set_defaults(func=run_fetch)


def _politeness_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--delay", type=float, default=DEFAULT_DELAY, metavar="SECONDS",
                   help=f"seconds between requests to one host (default {DEFAULT_DELAY:g}; "
                        "a longer robots.txt Crawl-delay wins)")
    p.add_argument("--timeout", type=float, default=Politeness.timeout, metavar="SECONDS",
                   help=f"seconds to wait for a response (default {Politeness.timeout:g})")
    p.add_argument("--retries", type=int, default=Politeness.retries,
                   help=f"retries on 5xx and timeouts (default {Politeness.retries}; never on 4xx)")
    p.add_argument("--backoff", type=float, default=Politeness.backoff, metavar="SECONDS",
                   help=f"first wait before a retry, doubled each time (default "
                        f"{Politeness.backoff:g})")
    p.add_argument("--max-requests", type=int, default=None, metavar="N",
                   help="stop after N requests in this run (default: no cap)")
    p.add_argument("--contact", default=None, metavar="EMAIL_OR_URL",
                   help="put a contact in the User-Agent, so a site can reach you")


def _politeness(args: argparse.Namespace) -> Politeness:
    if args.delay < 0 or args.timeout <= 0 or args.retries < 0 or args.backoff < 0:
        raise SystemExit(f"govopen {args.command}: --delay, --retries and --backoff must be "
                         "≥ 0 and --timeout > 0")
    return Politeness(delay=args.delay, timeout=args.timeout, retries=args.retries,
                      backoff=args.backoff, max_requests=args.max_requests, contact=args.contact)


def _missing_extra() -> str | None:
    import importlib.util

    missing = [m for m in _EXTRA if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    return (f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed: "
            "pip install 'govopen[collect]'")


def run_collect(args: argparse.Namespace) -> int:
    from .collect import collect
    from .sites import read_sites

    missing = _missing_extra()
    if missing:
        print(f"govopen collect: {missing}", file=sys.stderr)
        return 2
    try:
        sites = read_sites(args.sites)
        # the output folder's manifest or WARC from an earlier run may be unusable
        result = collect(sites, args.out, politeness=_politeness(args), warc=args.warc,
                         progress=False if args.no_progress else None)
    except (ParseError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for p in result.problems:
        print(f"{p.agency}: {p.url}: {p.reason}", file=sys.stderr)
    kinds = Counter(r.kind for r in result.rows)
    print(f"{len(sites)} site{'s' if len(sites) != 1 else ''}: "
          f"{kinds.get('report', 0)} report pages, {kinds.get('attachment', 0)} attachments, "
          f"{kinds.get('list', 0)} list pages; {result.written} written, {result.unchanged} "
          f"unchanged; {len(result.problems)} problems; {result.requests} requests "
          f"→ {args.out}/{MANIFEST}")
    if result.stopped:
        print(f"stopped early: {result.stopped}; run again to go on", file=sys.stderr)
    return 0 if result.rows else 1


def run_fetch(args: argparse.Namespace) -> int:
    from .fetch import CHANGED, DEFAULT_KINDS, fetch

    missing = _missing_extra()
    if missing:
        print(f"govopen fetch: {missing}", file=sys.stderr)
        return 2
    kinds = (*DEFAULT_KINDS, "list") if args.lists else DEFAULT_KINDS
    try:
        result = fetch(args.manifest, args.out, warc=args.warc, kinds=kinds,
                       politeness=_politeness(args),
                       progress=False if args.no_progress else None)
    except (ParseError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for row, got in result.changed:
        print(f"changed: {row.path} ({row.source_url}): sha256 {got}, the manifest says "
              f"{row.sha256}; kept as {args.out}/{CHANGED}/{row.path}, not written at its path",
              file=sys.stderr)
    for row, reason in result.failed:
        print(f"failed: {row.path} ({row.source_url}): {reason}", file=sys.stderr)
    print(f"{len(result.verified)} files verified, {len(result.changed)} changed, "
          f"{len(result.failed)} failed → {args.out}")
    return 0 if result.ok else 1
