"""Restricted evaluation of the expressions and scripts inside BPMN files.

A BPMN file is data, not code we trust: a condition, timer expression or
script may read and set process variables and call a few harmless functions,
and nothing else. It cannot import, open files, reach attributes that start
with an underscore (the way out of every Python sandbox), or loop forever.

Files from other modelling tools write conditions in other dialects; they are
translated at import (see ``translate_condition``) so that a file which cannot
be run is refused then, never halfway through a run.
"""
from __future__ import annotations

import ast
import re
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable

#: Python syntax a BPMN script may use. Anything else is refused at import.
_ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete,
    ast.If, ast.For, ast.Break, ast.Continue, ast.Pass,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Compare, ast.Call, ast.keyword,
    ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Slice, ast.Starred,
    ast.Dict, ast.Set, ast.List, ast.Tuple,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
    ast.JoinedStr, ast.FormattedValue,
    ast.Load, ast.Store, ast.Del,
    ast.And, ast.Or, ast.Not, ast.Invert, ast.UAdd, ast.USub,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)

#: Attributes that reach the interpreter's internals even without underscores.
_BLOCKED_ATTRIBUTES = frozenset({
    "format", "format_map", "mro", "gi_frame", "gi_code", "f_globals", "f_locals", "f_builtins",
    "cr_frame", "ag_frame", "tb_frame", "func_globals",
})

#: Names that exist only to escape a sandbox; refused at import rather than failing at run time.
_BLOCKED_NAMES = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals", "locals", "vars",
    "input", "breakpoint", "memoryview", "type", "object", "super", "help", "exit", "quit",
})

MAX_SOURCE_CHARS = 20_000
MAX_SEQUENCE = 100_000
MAX_EXPONENT = 1_000


class UnsafeExpression(ValueError):
    """An expression or script uses something the restricted environment forbids."""


def check_source(source: str, mode: str = "eval") -> ast.AST:
    """Parse ``source`` and refuse anything outside the allowed subset.

    ``mode`` is ``"eval"`` for an expression, ``"exec"`` for a script.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise UnsafeExpression(f"is longer than {MAX_SOURCE_CHARS} characters")
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        raise UnsafeExpression(f"is not valid Python ({error.msg}, line {error.lineno})") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise UnsafeExpression(f"uses '{type(node).__name__}', which BPMN scripts may not use")
        if isinstance(node, ast.Name) and (node.id.startswith("__") or node.id in _BLOCKED_NAMES):
            raise UnsafeExpression(f"uses the name '{node.id}'")
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in _BLOCKED_ATTRIBUTES):
            raise UnsafeExpression(f"uses the attribute '{node.attr}'")
    return tree


class _GuardArithmetic(ast.NodeTransformer):
    """Route ``**`` and ``*`` through size checks so a script cannot exhaust memory."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        guard = {ast.Pow: "__pf_pow", ast.Mult: "__pf_mul"}.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, (ast.Pow, ast.Mult)) and isinstance(node.target, ast.Name):
            value = ast.BinOp(left=ast.Name(id=node.target.id, ctx=ast.Load()), op=node.op, right=node.value)
            assign = ast.Assign(targets=[node.target], value=self.visit_BinOp(value))
            return ast.copy_location(assign, node)
        return node


@lru_cache(maxsize=2048)
def compile_checked(source: str, mode: str) -> Any:
    tree = _GuardArithmetic().visit(check_source(source, mode))
    ast.fix_missing_locations(tree)
    return compile(tree, "<bpmn>", mode)


def _guarded_pow(base: Any, exponent: Any) -> Any:
    if isinstance(exponent, (int, float)) and abs(exponent) > MAX_EXPONENT:
        raise UnsafeExpression(f"exponent {exponent} is larger than {MAX_EXPONENT}")
    return base ** exponent


def _guarded_mul(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
            if len(sequence) * count > MAX_SEQUENCE:
                raise UnsafeExpression(f"would build a sequence longer than {MAX_SEQUENCE}")
    return left * right


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_SEQUENCE:
        raise UnsafeExpression(f"range of {len(result)} items is longer than {MAX_SEQUENCE}")
    return result


_SAFE_BUILTINS: dict[str, Any] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
        "max", "min", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
        "ValueError", "KeyError", "TypeError", "Exception",
    )
}
_SAFE_BUILTINS["range"] = _bounded_range
# Scripts from other tools print for debugging; output goes nowhere.
_SAFE_BUILTINS["print"] = lambda *args, **kwargs: None


def clock_datetime(now: Callable[[], datetime]) -> type:
    """A ``datetime`` class whose ``now()`` reads the engine's clock."""

    def _now(cls: type, tz: timezone | None = None) -> datetime:
        current = now()
        return current.astimezone(tz) if tz is not None else current

    return type("datetime", (datetime,), {"now": classmethod(_now), "utcnow": classmethod(_now)})


def script_globals(now: Callable[[], datetime]) -> dict[str, Any]:
    """The names every expression and script sees besides the process variables."""
    return {
        "__builtins__": _SAFE_BUILTINS,
        "__pf_pow": _guarded_pow,
        "__pf_mul": _guarded_mul,
        "datetime": clock_datetime(now),
        "timedelta": timedelta,
        "date": date,
        "timezone": timezone,
    }


def evaluate(source: str, variables: dict[str, Any], env: dict[str, Any]) -> Any:
    code = compile_checked(source.strip(), "eval")
    return eval(code, {**env, **variables})  # noqa: S307 - checked and sandboxed above


def execute(source: str, variables: dict[str, Any], env: dict[str, Any]) -> None:
    """Run a script; variables it sets, changes or deletes are written back."""
    code = compile_checked(source, "exec")
    namespace = {**env, **variables}
    exec(code, namespace)  # noqa: S102 - checked and sandboxed above
    for name in [name for name in variables if name not in namespace]:
        del variables[name]
    for name, value in namespace.items():
        if name in env and value is env[name]:
            continue
        if name.startswith("__") or callable(value) or isinstance(value, type):
            continue
        variables[name] = value


# --- Dialects of other modelling tools -------------------------------------

_JUEL = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.S)
_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      |(?P<op>&&|\|\||==|!=|<=|>=|!|<|>|\(|\)|\[|\]|,|\.|\+|-|\*|/|%)
      |(?P<number>\d+(?:\.\d+)?)
      |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<space>\s+)
      |(?P<other>.)""",
    re.X,
)
_JUEL_WORDS = {
    "and": "and", "or": "or", "not": "not", "eq": "==", "ne": "!=", "lt": "<", "gt": ">",
    "le": "<=", "ge": ">=", "div": "/", "mod": "%", "true": "True", "false": "False",
    "null": "None", "empty": "not",
}
_JUEL_OPS = {"&&": "and", "||": "or", "!": "not"}
_FEEL_WORDS = {"and": "and", "or": "or", "true": "True", "false": "False", "null": "None", "not": "not"}
_FEEL_UNSUPPORTED = {"some", "every", "satisfies", "for", "return", "in", "between", "instance", "function", "if", "then", "else"}


def _translate_tokens(body: str, words: dict[str, str], ops: dict[str, str], dialect: str,
                      unsupported: set[str] = frozenset()) -> str:
    out: list[str] = []
    for match in _TOKEN.finditer(body):
        kind, text = match.lastgroup, match.group()
        if kind == "other":
            raise UnsafeExpression(f"{dialect} expression uses '{text}', which planflow cannot translate")
        if kind == "word" and text in unsupported:
            raise UnsafeExpression(f"{dialect} construct '{text}' is not supported")
        if kind == "op" and text in {".", "("} and out and (out[-1] in {")", "]"} or (
                out[-1][:1].isalpha() or out[-1][:1] == "_") and out[-1] not in {"and", "or", "not"}):
            # A method call or property access refers to Java beans or FEEL paths.
            raise UnsafeExpression(f"{dialect} expression calls or dereferences '{text}', which planflow cannot run")
        if kind == "word":
            out.append(words.get(text, text))
        elif kind == "op":
            out.append(ops.get(text, text))
        elif kind != "space":
            out.append(text)
    return " ".join(out)


def translate_condition(text: str) -> str:
    """Translate a condition written for Camunda 7 (JUEL) or Camunda 8 (FEEL) into Python.

    ``${approved}`` → ``approved``; ``${clarified == 'yes'}`` → ``clarified == 'yes'``;
    ``= approved`` → ``approved``. Plain Python is returned unchanged. Raises
    ``UnsafeExpression`` when the result is not in the restricted subset.
    """
    juel = _JUEL.match(text)
    if juel:
        python = _translate_tokens(juel.group("body"), _JUEL_WORDS, _JUEL_OPS, "JUEL")
    elif text.lstrip().startswith("="):
        body = text.lstrip()[1:]
        # FEEL compares with a single '='; protect the two-character operators first.
        body = re.sub(r"(?<![<>!=])=(?!=)", "==", body)
        python = _translate_tokens(body, _FEEL_WORDS, {}, "FEEL", _FEEL_UNSUPPORTED)
    else:
        python = text.strip()
    check_source(python, "eval")
    return python


_ISO_DURATION = re.compile(r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
                           r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$", re.I)
_ISO_CYCLE = re.compile(r"^R\d*/", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$")
_CRON = re.compile(r"^\S+(\s+\S+){4,6}$")


def translate_timer(text: str, kind: str) -> str:
    """Turn the text of a timeDate/timeDuration/timeCycle into a Python expression.

    Bare ISO 8601 (``P7D``, ``R6/P1D``, ``2022-09-30``) as other tools write it is
    quoted; ``=`` (FEEL) and ``${}`` wrappers are removed; Python expressions are
    checked. Cron cycles are refused: only ISO 8601 is supported.
    """
    value = text.strip()
    if not value:
        raise UnsafeExpression(f"{kind} is empty")
    juel = _JUEL.match(value)
    if juel:
        value = juel.group("body").strip()
    elif value.startswith("="):
        value = value[1:].strip()
    if _ISO_DURATION.match(value) or _ISO_CYCLE.match(value) or _ISO_DATE.match(value):
        return repr(value)
    if _CRON.match(value) and not _looks_like_python(value):
        raise UnsafeExpression(f"{kind} '{value}' is a cron expression; only ISO 8601 dates, durations "
                               "and cycles (e.g. R6/P1D) are supported")
    check_source(value, "eval")
    if isinstance(literal := _literal(value), str):
        if not (_ISO_DURATION.match(literal) or _ISO_CYCLE.match(literal) or _ISO_DATE.match(literal)):
            raise UnsafeExpression(f"{kind} '{literal}' is not an ISO 8601 date, duration or cycle")
    return value


def _looks_like_python(value: str) -> bool:
    try:
        ast.parse(value, mode="eval")
        return True
    except SyntaxError:
        return False


def _literal(value: str) -> Any:
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
