"""A SPARQL 1.1 Protocol client for remote endpoints, with the manners a shared server expects.

Why not call SPARQLWrapper's ``query()`` directly: it installs a process-wide urllib opener for
digest auth, sends basic credentials before being asked, and turns 429/503 into bare urllib
errors without their ``Retry-After``. So SPARQLWrapper builds the request (query form detection,
GET or URL-encoded POST, Accept header) and this module sends it through its own opener, which

- answers whichever challenge the server makes (Basic or Digest: Virtuoso's ``/sparql-auth``
  and ``/sparql-graph-crud-auth`` only accept digest) and never sends credentials unasked;
- identifies itself (``User-Agent: regionkg/<version> (+https://w3id.org/regionkg)``);
- uses GET for short queries (cacheable) and POST for queries over ``POST_THRESHOLD`` characters;
- retries 429 and 503 with back-off, honouring ``Retry-After`` (seconds or an HTTP date) within
  a bounded total wait;
- turns every failure into one :class:`RemoteError` whose message names the endpoint and the
  problem: unreachable host, authentication failed, timeout, malformed response, HTTP error.

Credentials come from ``KG_ENDPOINT_USER`` / ``KG_ENDPOINT_PASSWORD`` or a netrc file
(``$NETRC`` or ``~/.netrc``, looked up by host), never from the command line; they never appear
in messages (anything echoed back by a server is scrubbed of the password too).

Results: SELECT and ASK give the W3C SPARQL 1.1 JSON results as a dict (``head``, ``results``
or ``boolean``); CONSTRUCT and DESCRIBE give an :class:`rdflib.Graph`, because a graph is what
callers do something with (serialise, compare, merge) and a dict has no standard shape for it.
"""

from __future__ import annotations

import base64
import email.utils
import http.client
import json
import netrc
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kg import __version__

__all__ = [
    "USER_AGENT",
    "Credentials",
    "RemoteError",
    "Response",
    "credentials_for",
    "open_url",
    "parse_retry_after",
    "run_remote",
    "run_update",
]

USER_AGENT = f"regionkg/{__version__} (+https://w3id.org/regionkg)"
POST_THRESHOLD = 2000  # characters; longer queries are POSTed (URLs over ~2-8 KB get refused)
MAX_RETRY_WAIT = 60.0  # seconds, total sleep across the retries of one request
BACKOFF_BASE = 1.0  # seconds; without Retry-After the waits are 1, 2, 4 ...
ENV_USER = "KG_ENDPOINT_USER"
ENV_PASSWORD = "KG_ENDPOINT_PASSWORD"
_SNIPPET = 200  # characters of a server's error body quoted in a message

_JSON_TYPES = ("application/sparql-results+json", "application/json")
_RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"
_RDF_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",  # Virtuoso's N-Triples
    "text/ntriples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


class RemoteError(Exception):
    """A remote endpoint could not answer; the message names the endpoint and the problem."""

    def __init__(self, endpoint: str, problem: str, status: int | None = None) -> None:
        self.endpoint = endpoint
        self.problem = problem
        self.status = status
        super().__init__(f"{endpoint}: {problem}")


@dataclass(frozen=True)
class Credentials:
    """A user and password, and where they came from (for messages; never the password)."""

    user: str
    password: str = field(repr=False)
    source: str = ""


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str]


# --- credentials -------------------------------------------------------------------------------

def credentials_for(url: str, env: Mapping[str, str] | None = None) -> Credentials | None:
    """Credentials for ``url``: the environment first, then the netrc entry for its host.

    Both environment variables must be set (one alone is a mistake worth reporting). The netrc
    file is ``$NETRC`` or ``~/.netrc``; a missing file means no credentials.
    """
    env = os.environ if env is None else env
    endpoint = display_url(url)
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user or password:
        if not (user and password):
            missing = ENV_PASSWORD if user else ENV_USER
            raise RemoteError(endpoint, f"{missing} is not set (set both {ENV_USER} and "
                                        f"{ENV_PASSWORD}, or neither and use a netrc file)")
        return Credentials(user, password, "environment")
    path = Path(env["NETRC"]) if env.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"{path} line {line}" if line else str(path)
        raise RemoteError(endpoint, f"cannot read netrc file {where}") from None
    if not entry or not entry[2]:
        return None
    return Credentials(entry[0] or "", entry[2], f"netrc {path}")


def display_url(url: str) -> str:
    """The URL as shown in messages: no user info, no query string (it may hold a token)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def check_url(url: str) -> None:
    """Refuse URLs that are not http(s) or carry credentials (those belong in env or netrc)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(url, "not an http(s) URL")
    if parts.username or parts.password:
        raise RemoteError(display_url(url), f"credentials in the URL are not accepted; set "
                                            f"{ENV_USER}/{ENV_PASSWORD} or use a netrc file")


# --- transport ---------------------------------------------------------------------------------

def build_opener(url: str, credentials: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener that answers Basic or Digest challenges from ``url``'s server, and only then."""
    handlers: list[urllib.request.BaseHandler] = []
    if credentials is not None:
        parts = urllib.parse.urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}/"
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, root, credentials.user, credentials.password)
        handlers += [urllib.request.HTTPDigestAuthHandler(manager),
                     urllib.request.HTTPBasicAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _secret_forms(credentials: Credentials) -> list[str]:
    """Every form in which a server could echo the password back in an error page.

    Why more than the password itself: a proxy or a debug error page may quote the request's
    ``Authorization: Basic …`` header (base64 of ``user:password``) or the URL-quoted form.
    """
    pair = f"{credentials.user}:{credentials.password}".encode()
    forms = {credentials.password, urllib.parse.quote(credentials.password, safe=""),
             urllib.parse.quote_plus(credentials.password),
             base64.b64encode(pair).decode("ascii")}
    return sorted((f for f in forms if f), key=len, reverse=True)


def _scrub(text: str, credentials: Credentials | None) -> str:
    if credentials and credentials.password:
        for form in _secret_forms(credentials):
            text = text.replace(form, "***")
    return text


def _snippet(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else "")


def _http_problem(status: int, reason: str, body: bytes, credentials: Credentials | None) -> str:
    if status in (401, 403):
        how = (f"credentials from {credentials.source} were refused" if credentials else
               f"no credentials given (set {ENV_USER}/{ENV_PASSWORD} or a netrc entry)")
        return f"authentication failed (HTTP {status}): {how}"
    # scrubbed before the snippet is cut, so no prefix of a secret survives the cut
    snippet = _snippet(_scrub(body.decode("utf-8", errors="replace"), credentials).encode())
    what = {400: "request rejected", 404: "not found", 405: "method not allowed",
            406: "no acceptable result format", 413: "request too large",
            414: "URL too long", 429: "too many requests", 503: "service unavailable"}
    label = what.get(status, "server error" if status >= 500 else "HTTP error")
    return f"{label} (HTTP {status} {reason})" + (f": {snippet}" if snippet else "")


def open_url(request: urllib.request.Request, *, credentials: Credentials | None = None,
             timeout: float = 60, retries: int = 3, max_wait: float = MAX_RETRY_WAIT,
             sleep: Callable[[float], None] = time.sleep) -> Response:
    """Send ``request``, retrying 429/503; return the response or raise :class:`RemoteError`.

    ``timeout`` bounds each connect and each read. Retries wait ``Retry-After`` when the server
    gives one, else 1, 2, 4 … seconds; a wait that would take the total past ``max_wait`` is
    not made, the error is raised at once instead (a client must not hang on a busy server).
    """
    url = request.full_url
    endpoint = display_url(url)
    if not request.has_header("User-agent"):
        request.add_header("User-Agent", USER_AGENT)
    opener = build_opener(url, credentials)
    waited = 0.0
    attempt = 0
    while True:
        try:
            with opener.open(request, timeout=timeout) as resp:
                body = resp.read()
                return Response(resp.status, resp.headers.get_content_type(), body,
                                dict(resp.headers.items()))
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read()
            except (OSError, http.client.HTTPException):
                body = b""
            status = exc.code
            if status in (429, 503) and attempt < retries:
                delay = parse_retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                if delay is None:
                    delay = BACKOFF_BASE * 2 ** attempt
                if waited + delay > max_wait:
                    raise RemoteError(endpoint, f"HTTP {status}: the server asks to wait "
                                                f"{delay:.0f} s, more than the {max_wait:.0f} s "
                                                f"this client waits in total",
                                      status) from None
                sleep(delay)
                waited += delay
                attempt += 1
                continue
            problem = _http_problem(status, str(exc.reason or ""), body, credentials)
            if status in (429, 503):
                problem += f" after {attempt + 1} attempts"
            raise RemoteError(endpoint, _scrub(problem, credentials), status) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise RemoteError(endpoint, f"timeout: no answer within {timeout:g} s") from None
            text = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
            raise RemoteError(endpoint, f"cannot connect ({text})") from None
        except TimeoutError:
            raise RemoteError(endpoint, f"timeout: no answer within {timeout:g} s") from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise RemoteError(endpoint, f"connection failed: {type(exc).__name__} "
                                        f"{_scrub(str(exc), credentials)}") from None
        except ValueError as exc:  # urllib's digest handler on an unknown auth scheme
            raise RemoteError(endpoint, f"authentication failed: "
                                        f"{_scrub(str(exc), credentials)}") from None


# --- SPARQL Protocol ---------------------------------------------------------------------------

def _wrapper(endpoint: str, text: str, default_graph: str | None):
    """A SPARQLWrapper set up for ``text``: it detects the form and builds the HTTP request."""
    from SPARQLWrapper import GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper

    parts = urllib.parse.urlsplit(endpoint)
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    sparql = SPARQLWrapper(base, updateEndpoint=base, agent=USER_AGENT)
    sparql.setOnlyConneg(True)  # content negotiation only: no format=/output= parameters
    sparql.setRequestMethod(URLENCODED)
    # parameters written into the endpoint URL (default-graph-uri=…, a store's own options)
    # are sent with every request; SPARQLWrapper would otherwise append a second "?"
    for name, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        if name in ("query", "update"):
            raise RemoteError(display_url(endpoint), f"the endpoint URL must not hold {name}=")
        sparql.addParameter(name, value)
    with warnings.catch_warnings():  # an unrecognised form is the server's to reject, clearly
        warnings.simplefilter("ignore", RuntimeWarning)
        sparql.setQuery(text)
    if default_graph:
        sparql.addDefaultGraph(default_graph)
    update = sparql.isSparqlUpdateRequest()
    sparql.setMethod(POST if update or len(text) > POST_THRESHOLD else GET)
    sparql.setReturnFormat(JSON if update or sparql.queryType in ("SELECT", "ASK") else TURTLE)
    return sparql


def _ask_from_rows(data):
    """Virtuoso 7.2 answers ASK with a one-column table (``__ASK_RETVAL``: 1 row = true, none =
    false) instead of ``{"boolean": …}``; turn that into the standard form."""
    if not isinstance(data, dict) or "boolean" in data:
        return data
    head = data.get("head")
    rows = (data.get("results") or {}).get("bindings")
    if not (isinstance(head, dict) and head.get("vars") == ["__ASK_RETVAL"]
            and isinstance(rows, list)):
        return data
    value = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") not in ("0", "false")
    return {"head": {}, "boolean": value}


def _parse_results(endpoint: str, resp: Response, form: str):
    if form in ("SELECT", "ASK"):
        if resp.content_type not in _JSON_TYPES:
            raise RemoteError(endpoint, f"malformed response: expected SPARQL JSON results, got "
                                        f"{resp.content_type or 'no content type'}: "
                                        f"{_snippet(resp.body)}")
        try:
            data = json.loads(resp.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RemoteError(endpoint, f"malformed response: not JSON ({exc})") from None
        if form == "ASK":
            data = _ask_from_rows(data)
        ok = isinstance(data, dict) and isinstance(data.get("head"), dict) and (
            isinstance(data.get("boolean"), bool) if form == "ASK"
            else isinstance(data.get("results", {}).get("bindings"), list))
        if not ok:
            raise RemoteError(endpoint, "malformed response: JSON but not SPARQL results")
        return data
    from rdflib import Graph

    fmt = _RDF_TYPES.get(resp.content_type)
    if fmt is None:
        raise RemoteError(endpoint, f"malformed response: expected RDF, got "
                                    f"{resp.content_type or 'no content type'}: "
                                    f"{_snippet(resp.body)}")
    graph = Graph()
    try:
        graph.parse(data=resp.body, format=fmt)
    except Exception as exc:  # rdflib's parsers raise several types
        raise RemoteError(endpoint, f"malformed response: not valid {fmt} ({exc})") from None
    return graph


def run_remote(endpoint: str, query: str, *, timeout: float = 60, retries: int = 3,
               default_graph: str | None = None,
               env: Mapping[str, str] | None = None):
    """Run a SPARQL query on ``endpoint`` and return its results.

    SELECT/ASK: the W3C SPARQL 1.1 JSON results dict. CONSTRUCT/DESCRIBE: an rdflib Graph.
    ``default_graph`` sets the protocol's ``default-graph-uri`` (a store such as Virtuoso
    otherwise answers from the union of all its graphs); the same can be written into the
    endpoint URL (``…/sparql?default-graph-uri=…``), whose parameters go with every request.
    A truncated answer (Virtuoso's ``X-SPARQL-MaxRows``) is an error, not a silently short
    result.
    """
    check_url(endpoint)
    shown = display_url(endpoint)
    credentials = credentials_for(endpoint, env)
    sparql = _wrapper(endpoint, query, default_graph)
    if sparql.isSparqlUpdateRequest():
        raise RemoteError(shown, "this is a SPARQL Update, not a query (use run_update)")
    # _createRequest is the one private SPARQLWrapper hook relied on (pinned < 3 in pyproject)
    request = sparql._createRequest()
    if sparql.queryType not in ("SELECT", "ASK"):
        request.add_header("Accept", _RDF_ACCEPT)
    resp = open_url(request, credentials=credentials, timeout=timeout, retries=retries)
    cap = resp.headers.get("X-SPARQL-MaxRows") or resp.headers.get("x-sparql-maxrows")
    if cap:
        raise RemoteError(shown, f"results truncated at {cap} rows by the endpoint "
                                 f"(X-SPARQL-MaxRows); raise the store's limit (Virtuoso: "
                                 f"ResultSetMaxRows) or page with LIMIT/OFFSET")
    try:
        return _parse_results(shown, resp, sparql.queryType or "SELECT")
    except RemoteError as exc:  # a malformed page quoted in the message may echo the secret
        raise RemoteError(exc.endpoint, _scrub(exc.problem, credentials), exc.status) from None


def run_update(endpoint: str, update: str, *, timeout: float = 60, retries: int = 3,
               env: Mapping[str, str] | None = None) -> None:
    """Run a SPARQL 1.1 Update on ``endpoint`` (URL-encoded POST); raise RemoteError on failure."""
    check_url(endpoint)
    credentials = credentials_for(endpoint, env)
    sparql = _wrapper(endpoint, update, None)
    if not sparql.isSparqlUpdateRequest():
        raise RemoteError(display_url(endpoint), "this is a query, not a SPARQL Update")
    request = sparql._createRequest()
    open_url(request, credentials=credentials, timeout=timeout, retries=retries)
