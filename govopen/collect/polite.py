"""Polite HTTP: robots.txt, one request at a time per host, a delay, retries, a cap.

In: URLs to GET (with the ETag / Last-Modified a previous run saw) and a ``Politeness``.
Out (``PoliteClient.get``): a ``Fetched`` response — final URL after redirects, status,
headers, bytes, when — or an exception saying why not: ``Disallowed`` (robots.txt),
``CapReached`` (the run's request cap), ``FetchFailed`` (after the retries).

The rules, per host (host and port):

* robots.txt is read once per run with protego and obeyed for every request, redirect
  hops included; a Crawl-delay longer than ``delay`` is used instead of it. Its own
  redirects are followed (five hops). A robots.txt that is missing (4xx) allows
  everything; one that cannot be fetched (5xx, timeout)
  allows nothing on that host this run, as RFC 9309 says;
* at most one request in flight, and at least ``delay`` seconds (default 1) from the end
  of one response to the start of the next request;
* 5xx responses and timeouts / connection errors are retried ``retries`` times, waiting
  ``backoff`` × 2ⁿ seconds (plus the delay); 4xx responses are never retried;
* every request (robots.txt, redirects and retries too) counts against ``max_requests``;
* a response larger than ``max_bytes`` (default 256 MiB) is cut off and refused;
* redirects are followed by hand (at most 10), so each hop is paced, checked against
  robots.txt and counted.

Every request and response also goes to the WARC writer when one is given.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from .._version import __version__

DEFAULT_DELAY = 1.0
MAX_REDIRECTS = 10
ROBOTS_REDIRECTS = 5


def user_agent(contact: str | None = None) -> str:
    """The User-Agent sent: names govopen, its version and, when given, a contact."""
    ua = f"govopen/{__version__} (research collector of government annual reports"
    if contact:
        ua += f"; contact: {contact}"
    ua += ")"
    return ua.encode("ascii", "replace").decode("ascii")


@dataclass
class Politeness:
    delay: float = DEFAULT_DELAY  # seconds between requests to one host
    timeout: float = 30.0  # seconds to connect, and between bytes of a response
    retries: int = 3  # after the first attempt, on 5xx and timeouts
    backoff: float = 2.0  # seconds, doubled on every retry
    max_requests: int | None = None  # per run, all hosts together
    contact: str | None = None  # an e-mail or URL put in the User-Agent
    # no annual report comes near it; a response larger is cut off and refused, not held
    max_bytes: int = 256 * 1024 * 1024


class Disallowed(Exception):
    """robots.txt forbids the URL."""


class CapReached(Exception):
    """The run's request cap is spent."""


class FetchFailed(Exception):
    """No usable response: a 4xx, a 5xx after the retries, a timeout, no connection."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


@dataclass
class Fetched:
    url: str  # asked for
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # names in lower case
    content: bytes
    fetched_at: str  # UTC, ISO 8601, seconds
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset":
                return value.strip().strip("\"'").lower()
        return ""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class PoliteClient:
    """A sync httpx client that keeps the rules above; safe to share between threads
    (one thread per host is how ``collect`` uses it)."""

    def __init__(self, politeness: Politeness | None = None,
                 record: Callable[..., None] | None = None) -> None:
        import httpx
        from protego import Protego

        self._httpx = httpx
        self._protego = Protego
        self.politeness = politeness or Politeness()
        self.user_agent = user_agent(self.politeness.contact)
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.politeness.timeout), follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
        self._record = record  # called with (request, response, body) for the WARC
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_end: dict[str, float] = {}
        self._robots: dict[str, object] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the rules ----------------------------------------------------------------------

    def _host_lock(self, host: str) -> threading.Lock:
        with self._lock:
            return self._host_locks.setdefault(host, threading.Lock())

    def _count(self) -> None:
        with self._lock:
            cap = self.politeness.max_requests
            if cap is not None and self.requests >= cap:
                raise CapReached(f"the cap of {cap} requests is reached")
            self.requests += 1

    def delay_for(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl_delay = None
        if robots is not None and not isinstance(robots, str):
            crawl_delay = robots.crawl_delay(self.user_agent)  # type: ignore[attr-defined]
        return max(self.politeness.delay, float(crawl_delay or 0))

    def _send_once(self, url: str, headers: dict[str, str]):
        """One paced request: (the response, its body). Raises httpx errors, and
        ``FetchFailed`` for a body over ``max_bytes``."""
        host = urlsplit(url).netloc.lower()
        with self._host_lock(host):
            self._count()
            last = self._last_end.get(host)
            if last is not None:
                wait = last + self.delay_for(host) - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                request = self._client.build_request("GET", url, headers=headers)
                response = self._client.send(request, stream=True)
                try:
                    body = self._read_capped(url, response)
                finally:
                    response.close()
            finally:
                self._last_end[host] = time.monotonic()
        if self._record is not None:
            self._record(request, response, body)
        return response, body

    def _read_capped(self, url: str, response) -> bytes:
        """The body, or ``FetchFailed`` as soon as it passes ``max_bytes``."""
        cap = self.politeness.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchFailed(url, f"larger than {cap:,} bytes ({int(declared):,} declared): "
                                   "not fetched", response.status_code)
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchFailed(url, f"larger than {cap:,} bytes: cut off, not saved",
                                  response.status_code)
            chunks.append(chunk)
        return b"".join(chunks)

    def _send(self, url: str, headers: dict[str, str]):
        """A request with its retries (5xx, timeouts, no connection; never 4xx):
        (the response, its body)."""
        httpx = self._httpx
        p = self.politeness
        for attempt in range(p.retries + 1):
            last_try = attempt == p.retries
            try:
                response, body = self._send_once(url, headers)
            except (httpx.DecodingError, httpx.InvalidURL, httpx.UnsupportedProtocol,
                    httpx.TooManyRedirects) as e:  # the same again: not retried
                raise FetchFailed(url, f"unusable response or URL ({type(e).__name__}: "
                                       f"{e})") from None
            except (httpx.TimeoutException, httpx.TransportError) as e:
                if last_try:
                    kind = "timed out" if isinstance(e, httpx.TimeoutException) else \
                        f"no connection ({type(e).__name__})"
                    raise FetchFailed(url, f"{kind} after {p.retries + 1} attempts") from None
            else:
                if response.status_code < 500 or last_try:
                    return response, body
            time.sleep(p.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def check_robots(self, url: str) -> None:
        """Raise ``Disallowed`` when robots.txt forbids ``url``, ``FetchFailed`` when the
        host could not be reached for its robots.txt."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            robots_lock = self._robots_locks.setdefault(host, threading.Lock())
        with robots_lock:  # two threads reaching a third host read its robots.txt once
            if host not in self._robots:
                self._robots[host] = self._read_robots(url)
        robots = self._robots[host]
        if isinstance(robots, FetchFailed):
            raise FetchFailed(url, robots.reason)
        if robots == "none":
            raise Disallowed(f"{url}: robots.txt could not be read (5xx): nothing on this "
                             "host is fetched this run")
        if robots != "all" and not robots.can_fetch(url, self.user_agent):  # type: ignore[attr-defined]
            raise Disallowed(f"{url}: robots.txt forbids it")

    def _read_robots(self, url: str) -> object:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        # RFC 9309: follow at least five redirects (http → https, a CMS's own path), each
        # paced and counted like any request; more than that, or none left, allows all
        for _ in range(ROBOTS_REDIRECTS + 1):
            try:
                response, body = self._send(robots_url, {})
            except FetchFailed as e:
                # no answer at all: the site cannot be reached (said so, not a prohibition)
                return FetchFailed(url, f"the site cannot be reached ({e.reason})")
            location = response.headers.get("location", "").strip()
            if response.status_code in (301, 302, 303, 307, 308) and location:
                try:
                    robots_url = urljoin(robots_url, location)
                except ValueError:
                    break
                continue
            break
        if response.status_code >= 500:
            return "none"
        if response.status_code >= 300:
            return "all"
        text = body.decode("utf-8", errors="replace")
        return self._protego.parse(text)

    # --- the public call ----------------------------------------------------------------

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Fetched:
        """GET with the rules; conditional when ``etag`` / ``last_modified`` are given.
        A 304 comes back as a ``Fetched`` with status 304 and no content."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, hops = url, []
        for _ in range(MAX_REDIRECTS + 1):
            self.check_robots(current)
            response, body = self._send(current, headers)
            status = response.status_code
            if status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                hops.append(current)
                try:
                    current = urljoin(current, response.headers["location"].strip())
                except ValueError:
                    raise FetchFailed(current, "a redirect to a malformed URL",
                                      status) from None
                continue
            if status == 304 or 200 <= status < 300:
                return Fetched(url, current, status,
                               {k.lower(): v for k, v in response.headers.items()},
                               body if status != 304 else b"", utc_now(), hops)
            reason = f"HTTP {status}" + (" after the retries" if status >= 500 else "")
            raise FetchFailed(current, reason, status)
        raise FetchFailed(url, f"more than {MAX_REDIRECTS} redirects")
