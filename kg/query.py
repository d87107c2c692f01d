"""The query library: load the ``.rq`` files, bind parameters as RDF terms, run, format.

A library query is a SPARQL file with a grlc-style front matter of ``#+`` comment lines
holding YAML (``summary``, ``description``, ``params``, ``tags``; see queries/README.md).
Parameters are SPARQL variables. Their values are turned into RDF terms (a ``@zh`` literal,
an ``xsd:integer``, an IRI …) and bound by the engine: ``initBindings`` for rdflib,
and for pyoxigraph and remote endpoints a ``VALUES`` block serialised from the terms
(:func:`with_values`). Nothing a user types is ever pasted into query text, so a value such as
``x" } ; DROP ALL ; #`` is one literal that matches nothing.

Results are kept as rdflib terms whatever the engine, so every output format and every
comparison (:func:`result_set`) works the same for all three.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from kg.resources import resource_dir

Term = Identifier
PARAM_TYPES = ("string", "int", "decimal", "iri")
FORMATS = ("table", "csv", "tsv", "json", "md")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|^`\\]*$')
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.short,
            XSD.nonNegativeInteger, XSD.positiveInteger, XSD.negativeInteger,
            XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.byte}

# shown shortened in tables and Markdown (never in csv/tsv/json, which keep full IRIs)
DISPLAY_PREFIXES = {
    "https://w3id.org/regionkg/id/": "id:",
    "https://w3id.org/regionkg/ontology#": "rkg:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "https://schema.org/": "schema:",
    "http://www.opengis.net/ont/geosparql#": "geo:",
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#": "nif:",
    "http://www.w3.org/2005/11/its/rdf#": "itsrdf:",
}


class QueryError(Exception):
    """A problem with a query file, a parameter or a data source, worded for the user."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"
    default: str | None = None
    lang: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    source: str
    summary: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def form(self) -> str:
        return query_form(self.text)


@dataclass
class Results:
    """Rows of rdflib terms (None when unbound), or the boolean of an ASK query.

    CONSTRUCT and DESCRIBE results are returned as sorted ``subject predicate object`` rows
    so that they print and compare like any other result.
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None


# --- loading the library -------------------------------------------------------------------

def parse_front_matter(text: str, source: str) -> dict[str, Any]:
    """Read the leading ``#+`` lines as YAML (grlc's decorator syntax)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not lines:
            break
        elif lines:
            break
    if not lines:
        return {}
    try:
        data = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        raise QueryError(f"{source}: front matter is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise QueryError(f"{source}: front matter must be a mapping of keys (summary, params …)")
    return data


def _param(item: Any, source: str) -> Param:
    if not (isinstance(item, dict) and len(item) == 1):
        raise QueryError(f"{source}: each entry of params must be `- name: {{type: …}}`")
    ((name, spec),) = item.items()
    spec = spec or {}
    if not isinstance(name, str) or not _NAME.match(name):
        raise QueryError(f"{source}: parameter name {name!r} is not a SPARQL variable name")
    if not isinstance(spec, dict):
        raise QueryError(f"{source}: parameter {name}: expected a mapping of type, default …")
    unknown = set(spec) - {"type", "default", "lang", "description"}
    if unknown:
        raise QueryError(f"{source}: parameter {name}: unknown keys {sorted(unknown)}")
    ptype = spec.get("type", "string")
    if ptype not in PARAM_TYPES:
        raise QueryError(f"{source}: parameter {name}: type {ptype!r} is not one of "
                         f"{', '.join(PARAM_TYPES)}")
    if spec.get("lang") and ptype != "string":
        raise QueryError(f"{source}: parameter {name}: only string parameters take a lang")
    default = spec.get("default")
    return Param(name=name, type=ptype, default=None if default is None else str(default),
                 lang=spec.get("lang"), description=str(spec.get("description", "")))


def parse_query(text: str, name: str, source: str) -> Query:
    """Build a :class:`Query` from file text, checking the front matter against the query."""
    meta = parse_front_matter(text, source)
    raw_params = meta.get("params") or []
    if not isinstance(raw_params, list):
        raise QueryError(f"{source}: params must be a list")
    params = tuple(_param(p, source) for p in raw_params)
    code = code_only(text)
    for p in params:
        if not re.search(rf"[?$]{re.escape(p.name)}\b", code):
            raise QueryError(f"{source}: parameter {p.name} is not used as ?{p.name} in the query")
    tags = meta.get("tags") or []
    return Query(name=name, text=text, source=source, summary=str(meta.get("summary", "")),
                 description=str(meta.get("description", "")).strip(), params=params,
                 tags=tuple(str(t) for t in tags))


def library() -> dict[str, Query]:
    """The queries shipped in ``queries/`` (checkout or wheel), by file name without ``.rq``."""
    folder = resource_dir("queries")
    out = {}
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".rq"):
            name = node.name[:-3]
            out[name] = parse_query(node.read_text(encoding="utf-8"), name,
                                    f"queries/{node.name}")
    return out


def find_query(name_or_file: str) -> Query:
    """A library query by name, or a ``.rq`` file by path."""
    path = Path(name_or_file)
    if name_or_file.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"{name_or_file}: no such query file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{name_or_file}: cannot read: {exc}") from exc
        return parse_query(text, path.stem, str(path))
    lib = library()
    if name_or_file in lib:
        return lib[name_or_file]
    import difflib

    close = difflib.get_close_matches(name_or_file, list(lib), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise QueryError(f"{name_or_file}: no such query in the library{hint}; "
                     "see `kg query list`, or pass a path to a .rq file")


# --- lexing just enough SPARQL ---------------------------------------------------------------

def code_only(text: str) -> str:
    """The query text with comments, strings and IRIs blanked out (same length).

    Lets us look for keywords and braces without being fooled by a ``#`` in an IRI or a
    ``{`` in a string literal.
    """
    return _lex(text)[0]


def strip_comments(text: str) -> str:
    """The query without its ``#`` comments (the front matter included).

    Sent to remote endpoints: SPARQLWrapper guesses the query form with a regular expression
    that misses every second line of a comment block, so a description saying "asked" made
    it send a SELECT as an ASK.
    """
    spans = _lex(text)[1]
    out, last = [], 0
    for a, b in spans:
        out.append(text[last:a])
        last = b
    out.append(text[last:])
    return "".join(out).strip() + "\n"


@lru_cache(maxsize=256)
def _lex(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Cached: a query is lexed on every run (keywords, the WHERE brace), and a character
    loop in Python costs more than Oxigraph takes to answer a small query."""
    out = list(text)
    comments: list[tuple[int, int]] = []
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            comments.append((i, j))
            i = j
        elif c in "\"'":
            long = text.startswith(c * 3, i)
            quote = c * 3 if long else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n" and not long:
                    break
                j += 1
            end = min(n, j + len(quote))
            blank(i, end)
            i = end
        elif c == "<":
            m = _IRIREF.match(text, i)
            if m:
                blank(i, m.end())
                i = m.end()
            else:
                i += 1
        else:
            i += 1
    return "".join(out), tuple(comments)


@lru_cache(maxsize=256)
def query_form(text: str) -> str:
    m = re.search(r"(?<![?$\w])(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", code_only(text), re.I)
    if not m:
        raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return m.group(1).upper()


@lru_cache(maxsize=256)
def has_order_by(text: str) -> bool:
    return re.search(r"(?<![?$\w])ORDER\s+BY\b", code_only(text), re.I) is not None


@lru_cache(maxsize=256)
def _where_brace(text: str) -> int:
    """Index of the ``{`` that opens the query's outer WHERE pattern."""
    code = code_only(text)
    depth, firsts = 0, []
    for m in re.finditer(r"[{}]|(?<![?$\w])WHERE\b", code, re.I):
        tok = m.group(0)
        if tok == "{":
            if depth == 0:
                firsts.append(m.start())
                before = code[:m.start()].rstrip()
                if re.search(r"(?<![?$\w])WHERE$", before, re.I):
                    return m.start()
            depth += 1
        elif tok == "}":
            depth -= 1
    form = query_form(text)
    index = 1 if form == "CONSTRUCT" else 0
    if len(firsts) > index:
        return firsts[index]
    raise QueryError("cannot bind parameters: the query has no WHERE pattern")


# --- parameters --------------------------------------------------------------------------------

def to_term(param: Param, value: str) -> Term:
    """Turn what a user typed into the RDF term the parameter's type asks for."""
    if param.type == "string":
        return Literal(value, lang=param.lang) if param.lang else Literal(value)
    if param.type == "int":
        if not re.fullmatch(r"[+-]?[0-9]+", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(str(int(value)), datatype=XSD.integer)
    if param.type == "decimal":
        try:
            number = Decimal(value.strip())
        except InvalidOperation as exc:
            raise QueryError(f"parameter {param.name}: {value!r} is not a number") from exc
        if not number.is_finite():
            raise QueryError(f"parameter {param.name}: {value!r} is not a finite number")
        return Literal(str(number), datatype=XSD.decimal)
    if not _IRI.match(value):
        raise QueryError(f"parameter {param.name}: {value!r} is not an absolute IRI")
    return URIRef(value)


def bind_params(query: Query, given: Mapping[str, str]) -> dict[str, Term]:
    """Terms for every declared parameter: the value given, else the default."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        raise QueryError(f"{query.source}: unknown parameter {', '.join(unknown)} "
                         f"(this query takes: {names})")
    out = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise QueryError(f"{query.source}: parameter {p.name} has no default; "
                             f"pass --param {p.name}=…")
        out[p.name] = to_term(p, value)
    return out


def parse_param_options(items: Iterable[str]) -> dict[str, str]:
    """``name=value`` strings (from ``--param``) as a dict; the value may contain ``=``."""
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: expected name=value")
        out[name.strip()] = value
    return out


def sparql_term(term: Term) -> str:
    """N-Triples syntax for a term, valid in SPARQL and in SPARQL TSV results.

    Written here rather than with ``Term.n3()`` because n3() chooses triple-quoted strings
    for text with line breaks, which a TSV line cannot hold.
    """
    if isinstance(term, URIRef):
        if not _IRI.match(str(term)):
            raise QueryError(f"{str(term)!r} is not an IRI that can be written in SPARQL")
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    raise QueryError(f"cannot write {term!r} in SPARQL")


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with a ``VALUES`` block of the bound terms opening its WHERE pattern.

    Used for remote endpoints. The terms are serialised by :func:`sparql_term`, which escapes
    quotes and backslashes, so a value can never end the literal it is written in.
    """
    if not bindings:
        return text
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(sparql_term(t) for t in bindings.values())
    at = _where_brace(text) + 1
    return f"{text[:at]}\n  VALUES ({names}) {{ ({values}) }}{text[at:]}"


# --- running -----------------------------------------------------------------------------------

def _finish(variables: list[str], rows: list[tuple], text: str) -> Results:
    if not has_order_by(text):
        rows = sorted(rows, key=lambda row: tuple("" if t is None else sparql_term(t)
                                                  for t in row))
    return Results(variables=variables, rows=rows)


def _triples(triples: Iterable[tuple]) -> Results:
    rows = sorted(set(triples), key=lambda row: tuple(sparql_term(t) for t in row))
    return Results(variables=["subject", "predicate", "object"], rows=rows)


def run_graph(graph: Graph, text: str, bindings: Mapping[str, Term] | None = None) -> Results:
    """Run on an rdflib graph; parameters go in as ``initBindings``."""
    try:
        result = graph.query(text, initBindings=dict(bindings or {}))
    except Exception as exc:  # pyparsing and rdflib raise many types
        raise QueryError(f"query failed: {exc}") from exc
    if result.type == "ASK":
        return Results(variables=[], boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return _triples(result.graph)
    variables = [str(v) for v in result.vars]
    rows = [tuple(row) for row in result]
    return _finish(variables, rows, text)


def _from_ox(term: Any) -> Term | None:
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported term in results: {term!r}")


def run_store(store: Any, text: str, bindings: Mapping[str, Term] | None = None) -> Results:
    """Run on a pyoxigraph store; parameters go in as a ``VALUES`` block of terms.

    pyoxigraph's own ``substitutions`` only accept variables of the SELECT projection, and
    a parameter is usually a name to match, not a column; VALUES binds it anywhere in the
    outer pattern, exactly as for a remote endpoint.
    """
    import pyoxigraph as ox

    try:
        result = store.query(with_values(text, bindings or {}))
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return Results(variables=[], boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        return _triples((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object))
                        for t in result)
    variables = [v.value for v in result.variables]
    rows = [tuple(_from_ox(sol[v]) for v in result.variables) for sol in result]
    return _finish(variables, rows, text)


def _from_json(value: Mapping[str, str] | None) -> Term | None:
    if value is None:
        return None
    kind = value.get("type")
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise QueryError(f"malformed SPARQL JSON results: term type {kind!r}")


def from_json_results(data: Mapping[str, Any], text: str = "") -> Results:
    """Read a W3C SPARQL 1.1 JSON results document into :class:`Results`."""
    if "boolean" in data:
        return Results(variables=[], boolean=bool(data["boolean"]))
    try:
        variables = list(data["head"]["vars"])
        bindings = data["results"]["bindings"]
        rows = [tuple(_from_json(b.get(v)) for v in variables) for b in bindings]
    except (KeyError, TypeError, AttributeError) as exc:
        raise QueryError(f"malformed SPARQL JSON results: {exc!r}") from exc
    return _finish(variables, rows, text)


def run_endpoint(endpoint: str, text: str, bindings: Mapping[str, Term] | None = None,
                 *, timeout: float = 60) -> Results:
    """Run on a SPARQL 1.1 endpoint; parameters go in as a ``VALUES`` block of terms.

    Network, HTTP and authentication problems surface as ``kg.remote.RemoteError``.
    """
    from kg.remote import run_remote

    sent = strip_comments(with_values(text, bindings or {}))
    data = run_remote(endpoint, sent, timeout=timeout)
    if isinstance(data, Graph):
        return _triples(data)
    return from_json_results(data, text)


def run(query: Query, source: Any, given: Mapping[str, str] | None = None) -> Results:
    """Bind ``given`` parameters and run on an rdflib Graph or a pyoxigraph Store."""
    bindings = bind_params(query, given or {})
    if isinstance(source, Graph):
        return run_graph(source, query.text, bindings)
    return run_store(source, query.text, bindings)


# --- comparing ---------------------------------------------------------------------------------

def canonical(term: Term | None) -> Any:
    """A key under which equal values from different engines compare equal.

    Engines write the same number differently (``4.4E7``, ``44000000.0``, ``44000000``) and
    some lower-case language tags; this is what "the same answer" means across stores.
    """
    if isinstance(term, Literal):
        if term.datatype in _NUMERIC:
            try:
                return ("number", Decimal(str(term)).normalize())
            except InvalidOperation:
                return ("literal", str(term), str(term.datatype))
        if term.datatype == XSD.boolean:
            return ("boolean", str(term).strip().lower() in ("true", "1"))
        return ("literal", str(term), (term.language or "").lower(),
                str(term.datatype or "") if term.datatype != XSD.string else "")
    if term is None:
        return None
    return (type(term).__name__, str(term))


def result_set(results: Results) -> Any:
    """The answer as a set of canonical rows (or the boolean), for comparisons."""
    if results.boolean is not None:
        return results.boolean
    return {tuple(canonical(t) for t in row) for row in results.rows}


# --- formatting --------------------------------------------------------------------------------

def plain_value(literal: Literal) -> str:
    """The lexical form, with decimals written the same way whatever engine produced them.

    rdflib writes a sum of decimals as ``244000000.0``, Oxigraph and Virtuoso as
    ``244000000``; people and diff tools should see one form, so decimals lose trailing
    zeros (never their value).
    """
    text = str(literal)
    if literal.datatype == XSD.decimal:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        if number.is_finite():
            return f"{number.normalize():f}" if number != 0 else "0"
    return text


def display(term: Term | None) -> str:
    """A term as a person reads it: lexical form of literals, short IRIs, one line."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for ns, prefix in DISPLAY_PREFIXES.items():
            if text.startswith(ns):
                return prefix + text[len(ns):]
        return f"<{text}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(plain_value(term).split("\n"))


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their width on screen; CJK characters count two cells (rich)."""
    from rich.cells import cell_len

    widths = [cell_len(h) for h in headers]
    for row in rows:
        widths = [max(w, cell_len(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    return "\n".join(out) + "\n"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in headers) + " |",
           "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        out["datatype"] = str(term.datatype)
    return out


def to_json(results: Results) -> str:
    """W3C SPARQL 1.1 Query Results JSON Format."""
    if results.boolean is not None:
        data: dict[str, Any] = {"head": {}, "boolean": results.boolean}
    else:
        bindings = [{v: _json_term(t) for v, t in zip(results.variables, row, strict=True)
                     if t is not None} for row in results.rows]
        data = {"head": {"vars": results.variables}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return plain_value(term)
    return str(term)


def to_csv(results: Results) -> str:
    """W3C SPARQL 1.1 CSV results: variable names, then plain values, CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(results.variables)
    for row in results.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buf.getvalue()


def to_tsv(results: Results) -> str:
    """W3C SPARQL 1.1 TSV results: ``?var`` header, terms in Turtle (N-Triples) syntax."""
    lines = ["\t".join(f"?{v}" for v in results.variables)]
    lines += ["\t".join("" if t is None else sparql_term(t) for t in row)
              for row in results.rows]
    return "\n".join(lines) + "\n"


def format_results(results: Results, fmt: str = "table") -> str:
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return to_json(results)
    if results.boolean is not None:
        return ("true" if results.boolean else "false") + "\n"
    if fmt == "csv":
        return to_csv(results)
    if fmt == "tsv":
        return to_tsv(results)
    rows = [[display(t) for t in row] for row in results.rows]
    if fmt == "md":
        return markdown_table(results.variables, rows)
    return text_table(results.variables, rows)


def describe_params(query: Query) -> str:
    """``region=婺城区, year=2023``: the parameters with their defaults, for listings."""
    return ", ".join(f"{p.name}={p.default}" if p.default not in (None, "")
                     else (f"{p.name}=\"\"" if p.default == "" else p.name)
                     for p in query.params)


def library_listing(queries: Mapping[str, Query], fmt: str = "table") -> str:
    headers = ["name", "summary", "params"]
    rows = [[q.name, q.summary, describe_params(q)] for q in queries.values()]
    if fmt == "md":
        return markdown_table(headers, rows)
    if fmt == "json":
        data = [{"name": q.name, "summary": q.summary, "description": q.description,
                 "params": [asdict(p) for p in q.params], "tags": list(q.tags)}
                for q in queries.values()]
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n" if fmt == "csv" else "\n",
                            delimiter="," if fmt == "csv" else "\t")
        writer.writerows([headers, *rows])
        return buf.getvalue()
    return text_table(headers, rows)
