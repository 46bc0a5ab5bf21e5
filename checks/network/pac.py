"""Proxy auto-configuration (PAC) files, evaluated without a JavaScript engine.

A PAC file is JavaScript: ``FindProxyForURL(url, host)`` returns "DIRECT" or "PROXY host:port"
(several, separated by ";"). Running it with a real engine (pypac pulls in dukpy) would execute
whatever the network's administrator — or whoever can answer for ``wpad`` — wrote. Nearly every
PAC file in use is a chain of ``if``/``else`` over a handful of helper functions, so this module
interprets exactly that subset and refuses everything else, saying what it met:

- statements: ``function FindProxyForURL(url, host) {…}``, other ``function`` helpers called
  from it (no recursion), ``if``/``else``, blocks, ``return``, ``var x = …``, ``x = …``;
- expressions: strings, numbers, ``true``/``false``/``null``, names, ``! && ||``, ``== != ===
  !== < > <= >=``, ``+``, parentheses, ``?:``, and the methods ``toLowerCase()``,
  ``toUpperCase()``, ``indexOf(s)``, ``substring(a[, b])``, ``.length``;
- the PAC helpers: ``shExpMatch``, ``dnsDomainIs``, ``isInNet``, ``isPlainHostName``,
  ``localHostOrDomainIs``, ``dnsDomainLevels``, ``isResolvable``, ``dnsResolve``,
  ``myIpAddress``, ``convert_addr``.

Anything else — loops, objects, regular expressions, ``eval``, date and time rules — raises
``PacError`` naming it. Bounded: 256 KiB of text, 50 000 tokens, 64 levels of nesting, 100 000
evaluation steps, 20 name lookups and a wall-clock deadline per call, so a hostile file can
neither run code nor hang or exhaust the check.
"""

from __future__ import annotations

import contextlib
import fnmatch
import ipaddress
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_BYTES = 256 * 1024
MAX_TOKENS = 50_000
MAX_DEPTH = 64
MAX_STEPS = 100_000
MAX_LOOKUPS = 20
DEADLINE_S = 2.0


class PacError(ValueError):
    """The file uses something outside the supported subset, is malformed, or ran over a
    bound; the message says which, for the report."""


# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<str>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*/%<>!=(){};,.?:\[\]])
""", re.VERBOSE | re.DOTALL)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "/": "/",
            "0": "\0"}
_KEYWORDS_REFUSED = {"while", "for", "do", "switch", "new", "this", "try", "throw", "with",
                     "eval", "Function", "delete", "in", "instanceof", "typeof", "void",
                     "class", "import", "export", "let", "const", "async", "await", "yield",
                     "break", "continue", "case", "default", "catch", "finally", "debugger",
                     "arguments", "prototype", "constructor", "__proto__"}


@dataclass(frozen=True)
class _Tok:
    kind: str  # str num name op end
    value: str
    line: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos, line = 0, 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise PacError(f"line {line}: unsupported character {text[pos]!r}")
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "str":
            value = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e.group(1), e.group(1)), value[1:-1])
        if kind != "ws":
            out.append(_Tok(kind, value, line))
            if len(out) > MAX_TOKENS:
                raise PacError(f"more than {MAX_TOKENS} tokens")
        line += m.group().count("\n")
        pos = m.end()
    out.append(_Tok("end", "", line))
    return out


# --- syntax tree (tuples: cheap, immutable) ---------------------------------------------------


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks, self.i, self.depth = toks, 0, 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self, value: str | None = None, kind: str | None = None) -> _Tok:
        t = self.tok
        if (value is not None and (t.value != value or t.kind not in ("op", "name"))) \
                or (kind is not None and t.kind != kind) or t.kind == "end":
            want = value or kind
            raise PacError(f"line {t.line}: expected {want!r}, found {t.value or 'the end'!r}")
        self.i += 1
        return t

    def at(self, value: str) -> bool:
        return self.tok.value == value and self.tok.kind in ("op", "name")

    @contextlib.contextmanager
    def nest(self):
        """Count nesting, so a hostile file cannot exhaust the stack (ours or the
        evaluator's, which follows the same tree)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise PacError(f"line {self.tok.line}: nested deeper than {MAX_DEPTH}")
        try:
            yield
        finally:
            self.depth -= 1

    def program(self) -> tuple[dict[str, tuple], list[tuple]]:
        functions: dict[str, tuple] = {}
        top: list[tuple] = []
        while self.tok.kind != "end":
            if self.at("function"):
                self.take("function")
                name = self.take(kind="name").value
                self.take("(")
                params: list[str] = []
                while not self.at(")"):
                    params.append(self.take(kind="name").value)
                    if not self.at(")"):
                        self.take(",")
                self.take(")")
                functions[name] = (params, self.block())
            elif self.at(";"):
                self.take(";")
            else:
                top.append(self.statement())
        return functions, top

    def block(self) -> tuple:
        self.take("{")
        body = []
        with self.nest():
            while not self.at("}"):
                if self.tok.kind == "end":
                    raise PacError("a block is not closed")
                body.append(self.statement())
        self.take("}")
        return ("block", body)

    def statement(self) -> tuple:
        t = self.tok
        if t.kind == "name" and t.value in _KEYWORDS_REFUSED:
            raise PacError(f"line {t.line}: {t.value!r} is not supported")
        if self.at("{"):
            return self.block()
        if self.at(";"):
            self.take(";")
            return ("block", [])
        if self.at("if"):
            # if … else if … else …: one flat list of clauses, however long the chain
            clauses = []
            other = None
            with self.nest():
                while True:
                    self.take("if")
                    self.take("(")
                    cond = self.expr()
                    self.take(")")
                    clauses.append((cond, self.statement()))
                    if not self.at("else"):
                        break
                    self.take("else")
                    if not self.at("if"):
                        other = self.statement()
                        break
            return ("if", clauses, other)
        if self.at("return"):
            self.take("return")
            value = None if self.at(";") or self.at("}") else self.expr()
            self._end()
            return ("return", value)
        if self.at("var"):
            self.take("var")
            decls = []
            while True:
                name = self.take(kind="name").value
                value = None
                if self.at("="):
                    self.take("=")
                    value = self.expr()
                decls.append(("assign", name, value))
                if not self.at(","):
                    break
                self.take(",")
            self._end()
            return ("block", decls)
        if self.at("function"):
            raise PacError(f"line {t.line}: functions inside functions are not supported")
        if t.kind == "name" and self.toks[self.i + 1].value == "=":
            name = self.take(kind="name").value
            self.take("=")
            value = self.expr()
            self._end()
            return ("assign", name, value)
        value = self.expr()
        self._end()
        return ("expr", value)

    def _end(self) -> None:
        if self.at(";"):
            self.take(";")
        elif not self.at("}") and self.tok.kind != "end":
            raise PacError(f"line {self.tok.line}: expected ';', found {self.tok.value!r}")

    # expressions, lowest precedence first
    def expr(self) -> tuple:
        with self.nest():
            cond = self.logic_or()
            if self.at("?"):
                self.take("?")
                a = self.expr()
                self.take(":")
                b = self.expr()
                return ("cond", cond, a, b)
            return cond

    # Chains (a || b || …, a + b + …) are flat lists, evaluated in a loop: a long chain
    # must not become a deep tree.
    def logic_or(self) -> tuple:
        items = [self.logic_and()]
        while self.at("||"):
            self.take("||")
            items.append(self.logic_and())
        return items[0] if len(items) == 1 else ("or", items)

    def logic_and(self) -> tuple:
        items = [self.compare()]
        while self.at("&&"):
            self.take("&&")
            items.append(self.compare())
        return items[0] if len(items) == 1 else ("and", items)

    def compare(self) -> tuple:
        left = self.add()
        if self.tok.kind == "op" and self.tok.value in ("==", "!=", "===", "!==", "<", ">",
                                                         "<=", ">="):
            op = self.take().value
            left = ("cmp", op, left, self.add())
        if self.tok.kind == "op" and self.tok.value in ("==", "!=", "===", "!==", "<", ">"):
            raise PacError(f"line {self.tok.line}: chained comparisons are not supported")
        return left

    def add(self) -> tuple:
        items = [self.unary()]
        while self.at("+"):
            self.take("+")
            items.append(self.unary())
        if self.tok.kind == "op" and self.tok.value in ("-", "*", "/", "%"):
            raise PacError(f"line {self.tok.line}: arithmetic is not supported")
        return items[0] if len(items) == 1 else ("add", items)

    def unary(self) -> tuple:
        if self.at("!"):
            self.take("!")
            with self.nest():
                return ("not", self.unary())
        return self.postfix()

    def postfix(self) -> tuple:
        node = self.primary()
        chained = 0
        while self.at("."):
            chained += 1
            if chained > 8:
                raise PacError(f"line {self.tok.line}: more than 8 chained methods")
            self.take(".")
            name = self.take(kind="name").value
            if name == "length":
                node = ("length", node)
                continue
            if name not in ("toLowerCase", "toUpperCase", "indexOf", "substring"):
                raise PacError(f"line {self.tok.line}: method {name!r} is not supported")
            node = ("method", name, node, self.arguments())
        return node

    def arguments(self) -> list[tuple]:
        self.take("(")
        args = []
        while not self.at(")"):
            args.append(self.expr())
            if not self.at(")"):
                self.take(",")
        self.take(")")
        return args

    def primary(self) -> tuple:
        t = self.tok
        if t.kind == "str":
            self.take()
            return ("lit", t.value)
        if t.kind == "num":
            self.take()
            return ("lit", float(t.value))
        if self.at("("):
            self.take("(")
            node = self.expr()
            self.take(")")
            return node
        if t.kind == "name":
            if t.value in _KEYWORDS_REFUSED:
                raise PacError(f"line {t.line}: {t.value!r} is not supported")
            self.take()
            if t.value in ("true", "false"):
                return ("lit", t.value == "true")
            if t.value in ("null", "undefined"):
                return ("lit", None)
            if self.at("("):
                return ("call", t.value, self.arguments(), t.line)
            return ("name", t.value, t.line)
        what = t.value or "the end"
        raise PacError(f"line {t.line}: {what!r} is not supported here")


# --- evaluation -----------------------------------------------------------------------------


class _Return(Exception):
    def __init__(self, value) -> None:
        self.value = value


@dataclass
class PacScript:
    """A parsed PAC file; ``find_proxy`` runs it for one URL."""

    functions: dict[str, tuple]
    top: list[tuple]
    resolver: Callable[[str], str | None] = field(default=lambda host: _resolve(host))
    my_ip: Callable[[], str] = field(default=lambda: _my_ip())
    looked_up: dict[str, str | None] = field(default_factory=dict)  # one lookup per name

    def find_proxy(self, url: str, host: str) -> str:
        """What ``FindProxyForURL(url, host)`` returns, as the text the file produced."""
        if "FindProxyForURL" not in self.functions:
            raise PacError("the file has no FindProxyForURL function")
        run = _Run(self)
        for stmt in self.top:
            run.statement(stmt, run.globals)
        value = run.call("FindProxyForURL", [url, host], 0)
        if not isinstance(value, str):
            raise PacError(f"FindProxyForURL returned {_js_str(value)!r}, not a string")
        return value


def parse(text: str | bytes, resolver: Callable[[str], str | None] | None = None,
          my_ip: Callable[[], str] | None = None) -> PacScript:
    """Parse a PAC file; ``PacError`` when it is too big, malformed or outside the subset.
    ``resolver`` (name → IPv4 or None) and ``my_ip`` replace the system's for tests."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise PacError(f"the file is larger than {MAX_BYTES // 1024} KiB")
        text = text.decode("utf-8", errors="replace")
    if len(text) > MAX_BYTES:
        raise PacError(f"the file is larger than {MAX_BYTES // 1024} KiB")
    functions, top = _Parser(_tokens(text)).program()
    script = PacScript(functions, top)
    if resolver is not None:
        script.resolver = resolver
    if my_ip is not None:
        script.my_ip = my_ip
    return script


class _Run:
    def __init__(self, script: PacScript) -> None:
        self.s = script
        self.steps = 0
        self.lookups = 0
        self.deadline = time.monotonic() + DEADLINE_S
        self.globals: dict[str, object] = {}
        self.calling: set[str] = set()

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise PacError(f"more than {MAX_STEPS} evaluation steps")
        if self.steps % 256 == 0 and time.monotonic() > self.deadline:
            raise PacError(f"took longer than {DEADLINE_S:g} s")

    def call(self, name: str, args: list, line: int):
        if name in self.s.functions:
            if name in self.calling:
                raise PacError(f"line {line}: {name} calls itself (recursion is not supported)")
            params, body = self.s.functions[name]
            scope = dict(zip(params, args, strict=False))
            for p in params[len(args):]:
                scope[p] = None
            self.calling.add(name)
            try:
                self.statement(body, scope)
            except _Return as r:
                return r.value
            finally:
                self.calling.discard(name)
            return None
        helper = _HELPERS.get(name)
        if helper is None:
            raise PacError(f"line {line}: function {name!r} is not supported")
        return helper(self, *args)

    def statement(self, node: tuple, scope: dict) -> None:
        self.tick()
        kind = node[0]
        if kind == "block":
            for s in node[1]:
                self.statement(s, scope)
        elif kind == "if":
            for cond, then in node[1]:
                if _truthy(self.expr(cond, scope)):
                    self.statement(then, scope)
                    return
            if node[2] is not None:
                self.statement(node[2], scope)
        elif kind == "return":
            raise _Return(None if node[1] is None else self.expr(node[1], scope))
        elif kind == "assign":
            value = None if node[2] is None else self.expr(node[2], scope)
            target = scope if node[1] in scope or (scope is not self.globals and \
                node[1] not in self.globals) else self.globals
            target[node[1]] = value
        elif kind == "expr":
            self.expr(node[1], scope)

    def expr(self, node: tuple, scope: dict):
        self.tick()
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "name":
            if node[1] in scope:
                return scope[node[1]]
            if node[1] in self.globals:
                return self.globals[node[1]]
            raise PacError(f"line {node[2]}: {node[1]!r} is not defined")
        if kind == "call":
            return self.call(node[1], [self.expr(a, scope) for a in node[2]], node[3])
        if kind == "not":
            return not _truthy(self.expr(node[1], scope))
        if kind == "and":
            value = True
            for item in node[1]:
                value = self.expr(item, scope)
                if not _truthy(value):
                    return value
            return value
        if kind == "or":
            value = False
            for item in node[1]:
                value = self.expr(item, scope)
                if _truthy(value):
                    return value
            return value
        if kind == "cond":
            return self.expr(node[2] if _truthy(self.expr(node[1], scope)) else node[3], scope)
        if kind == "cmp":
            return _compare(node[1], self.expr(node[2], scope), self.expr(node[3], scope))
        if kind == "add":
            total = self.expr(node[1][0], scope)
            for item in node[1][1:]:
                b = self.expr(item, scope)
                if isinstance(total, str) or isinstance(b, str):
                    total = _js_str(total) + _js_str(b)
                    if len(total) > MAX_BYTES:
                        raise PacError("a string grew beyond the size limit")
                else:
                    total = _num(total) + _num(b)
            return total
        if kind == "length":
            return float(len(_js_str(self.expr(node[1], scope))))
        if kind == "method":
            return _method(node[1], _js_str(self.expr(node[2], scope)),
                           [self.expr(a, scope) for a in node[3]])
        raise PacError(f"cannot evaluate {kind}")  # pragma: no cover - parser makes no others

    def lookup(self, host: str) -> str | None:
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
        if host in self.s.looked_up:
            return self.s.looked_up[host]
        self.lookups += 1
        if self.lookups > MAX_LOOKUPS:
            raise PacError(f"more than {MAX_LOOKUPS} name lookups")
        if time.monotonic() > self.deadline:
            raise PacError(f"took longer than {DEADLINE_S:g} s")
        ip = self.s.looked_up[host] = self.s.resolver(host)
        return ip


def _truthy(v) -> bool:
    return bool(v) and v == v  # NaN is false


def _js_str(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else str(v)
    return str(v)


def _num(v) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if v is None:
        return 0.0
    try:
        return float(str(v).strip() or 0)
    except ValueError:
        return float("nan")


def _compare(op: str, a, b) -> bool:
    if op in ("===", "!=="):
        same = type(a) is type(b) and a == b
        return same if op == "===" else not same
    if op in ("==", "!="):
        if (isinstance(a, str) and isinstance(b, str)) or a is None or b is None:
            same = a == b
        else:
            same = _num(a) == _num(b)
        return same if op == "==" else not same
    if isinstance(a, str) and isinstance(b, str):
        x, y = a, b
    else:
        x, y = _num(a), _num(b)
    return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]


def _method(name: str, s: str, args: list):
    if name == "toLowerCase":
        return s.lower()
    if name == "toUpperCase":
        return s.upper()
    if name == "indexOf":
        return float(s.find(_js_str(args[0]) if args else "undefined"))
    # substring(a, b): clamps to [0, len] and swaps when a > b, as JavaScript does
    n = len(s)
    a = int(min(max(_num(args[0]) if args else 0, 0), n)) if args and args[0] == args[0] else 0
    b = int(min(max(_num(args[1]), 0), n)) if len(args) > 1 else n
    a, b = min(a, b), max(a, b)
    return s[a:b]


# --- the PAC helper functions (Netscape's definitions) --------------------------------------


def _sh_exp_match(_run: _Run, s=None, pattern=None) -> bool:
    # fnmatchcase: * and ? as in the shell, no case folding; [ ] are literal in PAC practice
    return fnmatch.fnmatchcase(_js_str(s), _js_str(pattern).replace("[", "[[]"))


def _dns_domain_is(_run: _Run, host=None, domain=None) -> bool:
    return _js_str(host).lower().endswith(_js_str(domain).lower())


def _is_plain_host_name(_run: _Run, host=None) -> bool:
    return "." not in _js_str(host)


def _local_host_or_domain_is(_run: _Run, host=None, hostdom=None) -> bool:
    h, full = _js_str(host).lower(), _js_str(hostdom).lower()
    return h == full or ("." not in h and full.startswith(h + "."))


def _dns_domain_levels(_run: _Run, host=None) -> float:
    return float(_js_str(host).count("."))


def _is_in_net(run: _Run, host=None, pattern=None, mask=None) -> bool:
    ip = run.lookup(_js_str(host))
    if ip is None:
        return False
    try:
        addr = ipaddress.IPv4Address(ip)
        net = ipaddress.IPv4Network(f"{_js_str(pattern)}/{_js_str(mask)}", strict=False)
    except ValueError:
        return False
    return addr in net


def _is_resolvable(run: _Run, host=None) -> bool:
    return run.lookup(_js_str(host)) is not None


def _dns_resolve(run: _Run, host=None) -> str | None:
    return run.lookup(_js_str(host))


def _my_ip_address(run: _Run) -> str:
    return run.s.my_ip()


def _convert_addr(_run: _Run, ip=None) -> float:
    try:
        return float(int(ipaddress.IPv4Address(_js_str(ip))))
    except ValueError:
        return 0.0


_HELPERS: dict[str, Callable] = {
    "shExpMatch": _sh_exp_match, "dnsDomainIs": _dns_domain_is, "isInNet": _is_in_net,
    "isPlainHostName": _is_plain_host_name, "localHostOrDomainIs": _local_host_or_domain_is,
    "dnsDomainLevels": _dns_domain_levels, "isResolvable": _is_resolvable,
    "dnsResolve": _dns_resolve, "myIpAddress": _my_ip_address, "convert_addr": _convert_addr,
}


def _resolve(host: str) -> str | None:
    from checks.network.dns import resolve

    res = resolve(host, 443, socket.SOCK_STREAM, 0.8)
    v4 = [a[1][0] for a in res.addresses if a[0] == socket.AF_INET]
    return v4[0] if v4 else None


def _my_ip() -> str:
    """The address this computer's default route leaves from (nothing is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("198.51.100.1", 9))  # documentation address: chooses a route only
            return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"


# --- the answer -----------------------------------------------------------------------------


def routes(answer: str) -> list[tuple[str, str]]:
    """``"PROXY a:1; SOCKS b:2; DIRECT"`` → [("PROXY", "a:1"), ("SOCKS", "b:2"), ("DIRECT", "")].
    Unknown words are kept (upper-cased) so the caller can say what it could not use."""
    out = []
    for part in answer.split(";"):
        words = part.split()
        if not words:
            continue
        kind = words[0].upper()
        out.append((kind, words[1] if len(words) > 1 else ""))
    return out
