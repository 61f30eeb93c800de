"""Restricted Python for the expressions and scripts inside BPMN files.

A BPMN file is data, not code we trust: a condition, timer expression or
script may read and set process variables and call a few harmless functions,
and nothing else. It cannot import, reach attributes that start with an
underscore (the way out of every Python sandbox), or call the builtins that
open files or run code; those are simply not there.

Code that provably does a bounded amount of work (no loops, no
comprehensions, only cheap calls: ``approved == True``, ``len(items) > 0``,
``period_index = period_index + 1``) runs here, with its arithmetic guarded.
Anything else runs in the sandbox process (``sandbox.py``), under a time and
memory limit; a guard that trips here sends the code there too.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable

#: Python syntax a BPMN script may use. Anything else is refused at import.
_ALLOWED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete,
    ast.If, ast.For, ast.While, ast.Break, ast.Continue, ast.Pass,
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

#: What a refusal of unsupported syntax adds: what scripts may use instead.
SUPPORTED_SYNTAX = ("scripts may assign variables and use if, for and while, comprehensions, arithmetic, "
                    "comparisons and calls of the functions listed in the README")

#: Attributes that reach the interpreter's internals even without underscores.
_BLOCKED_ATTRIBUTES = frozenset({
    "format", "format_map", "mro", "gi_frame", "gi_code", "f_globals", "f_locals", "f_builtins",
    "cr_frame", "ag_frame", "tb_frame", "func_globals",
})

#: Builtins that exist only to run code or leave the process data; calling one is refused at import.
#: As plain names they are ordinary process variables (a variable may be called ``input`` or ``type``).
_BLOCKED_CALLS = frozenset({
    "eval", "exec", "compile", "open", "getattr", "setattr", "delattr", "globals", "locals", "vars",
    "input", "breakpoint", "memoryview", "type", "object", "super", "help", "exit", "quit", "__import__",
})

MAX_SOURCE_CHARS = 20_000
MAX_NESTING = 100
#: Bounds of the arithmetic guards here; past them the code goes to the sandbox instead.
MAX_SEQUENCE = 100_000
MAX_CONCATENATION = 1_000_000
MAX_INTEGER_BITS = 65_536


class UnsafeExpression(ValueError):
    """An expression or script uses something the restricted environment forbids."""

    def __init__(self, message: str, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax


class ScriptLimitExceeded(UnsafeExpression):
    """A script or expression went past a limit (time, memory, the size of what it leaves)."""


class NeedsSandbox(Exception):
    """Raised by a guard: this run is not bounded after all and must go to the sandbox."""


def check_source(source: str, mode: str = "eval") -> ast.AST:
    """Parse ``source`` and refuse anything outside the allowed subset.

    ``mode`` is ``"eval"`` for an expression, ``"exec"`` for a script.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise UnsafeExpression(f"is longer than {MAX_SOURCE_CHARS} characters")
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        if "too many nested" in str(error.msg):
            raise UnsafeExpression(f"nests deeper than {MAX_NESTING} levels") from None
        where = f"line {error.lineno}, column {error.offset}" if mode == "exec" else f"column {error.offset}"
        raise UnsafeExpression(f"is not valid Python ({error.msg}, {where})", syntax=True) from None
    except (RecursionError, MemoryError):
        raise UnsafeExpression(f"nests deeper than {MAX_NESTING} levels") from None
    for node, depth in _walk_with_depth(tree):
        if depth > MAX_NESTING:
            raise UnsafeExpression(f"nests deeper than {MAX_NESTING} levels")
        _check_node(node)
    return tree


def _walk_with_depth(tree: ast.AST):
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _check_node(node: ast.AST) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        raise UnsafeExpression(f"uses '{type(node).__name__}', which BPMN scripts may not use; {SUPPORTED_SYNTAX}")
    if isinstance(node, ast.Name) and node.id.startswith("__"):
        raise UnsafeExpression(f"uses the name '{node.id}'; names starting with two underscores are reserved "
                               "for the engine")
    if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in _BLOCKED_ATTRIBUTES):
        raise UnsafeExpression(f"uses the attribute '{node.attr}', which BPMN scripts may not reach")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _BLOCKED_CALLS:
        raise UnsafeExpression(f"calls '{node.func.id}', which BPMN scripts cannot use: they read and set "
                               "process variables and call only the functions listed in the README")


# --- What may run here, and what must go to the sandbox ----------------------------------

#: Calls whose work and result are at most proportional to their arguments.
_BOUNDED_CALLS = frozenset({"len", "bool", "int", "float", "abs", "min", "max", "isinstance", "round",
                            "date", "datetime", "timedelta"})
_BOUNDED_METHODS = frozenset({"get", "keys", "values", "items", "lower", "upper", "strip", "lstrip", "rstrip",
                              "startswith", "endswith", "isoformat", "date", "weekday", "isoweekday", "now",
                              "utcnow", "fromisoformat", "timestamp", "total_seconds", "count", "index"})
_BOUNDED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete, ast.If, ast.Pass,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.IfExp, ast.Compare, ast.Call, ast.keyword, ast.Constant, ast.Name,
    ast.Attribute, ast.Subscript, ast.Slice, ast.Dict, ast.Set, ast.List, ast.Tuple,
    ast.Load, ast.Store, ast.Del, ast.operator, ast.boolop, ast.unaryop, ast.cmpop,
)
_MAX_BOUNDED_NODES = 400


def is_bounded(tree: ast.AST) -> bool:
    """Whether the code does a bounded amount of work: no loops, few nodes, only cheap calls."""
    count = 0
    for node in ast.walk(tree):
        count += 1
        if count > _MAX_BOUNDED_NODES or not isinstance(node, _BOUNDED_NODES):
            return False
        if isinstance(node, ast.Call) and not _is_bounded_call(node):
            return False
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and node.id in _ENGINE_NAMES:
            return False  # rebinding ``len`` would make a later "cheap" call anything
        if isinstance(node, ast.AugAssign) and not isinstance(node.target, ast.Name):
            return False
    return True


def _is_bounded_call(node: ast.Call) -> bool:
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in _BOUNDED_CALLS
    return isinstance(node.func, ast.Attribute) and node.func.attr in _BOUNDED_METHODS


class _GuardArithmetic(ast.NodeTransformer):
    """Route ``+ * ** %`` through size checks, so bounded code stays bounded."""

    _GUARDS = {ast.Pow: "__pf_pow", ast.Mult: "__pf_mul", ast.Add: "__pf_add", ast.Mod: "__pf_mod"}

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        guard = self._GUARDS.get(type(node.op))
        if guard is None:
            return node
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if type(node.op) in self._GUARDS and isinstance(node.target, ast.Name):
            value = ast.BinOp(left=ast.Name(id=node.target.id, ctx=ast.Load()), op=node.op, right=node.value)
            assign = ast.Assign(targets=[node.target], value=self.visit_BinOp(value))
            return ast.copy_location(assign, node)
        return node


@dataclass(frozen=True)
class Compiled:
    """A checked expression or script: its code, whether it may run here, the names it uses."""

    code: Any
    bounded: bool
    names: frozenset[str]
    assigned: frozenset[str]


@lru_cache(maxsize=2048)
def compile_checked(source: str, mode: str) -> Compiled:
    tree = check_source(source, mode)
    bounded = is_bounded(tree)
    names = frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
    assigned = frozenset(node.id for node in ast.walk(tree)
                         if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load))
    guarded = ast.fix_missing_locations(_GuardArithmetic().visit(tree))
    return Compiled(compile(guarded, "<bpmn>", mode), bounded, names, assigned)


# --- The guards -------------------------------------------------------------------------

def _guarded_pow(base: Any, exponent: Any) -> Any:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 1:
        if max(base.bit_length(), 1) * exponent > MAX_INTEGER_BITS:
            raise NeedsSandbox
    elif isinstance(exponent, (int, float)) and abs(exponent) > 10_000:
        raise NeedsSandbox
    return base ** exponent


def _guarded_mul(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int):
            if len(sequence) * count > MAX_SEQUENCE:
                raise NeedsSandbox
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INTEGER_BITS:
        raise NeedsSandbox
    return left * right


def _guarded_add(left: Any, right: Any) -> Any:
    if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
        if len(left) + len(right) > MAX_CONCATENATION:
            raise NeedsSandbox
    return left + right


def _guarded_mod(left: Any, right: Any) -> Any:
    if isinstance(left, (str, bytes)):
        raise NeedsSandbox  # %-formatting can pad to any width
    return left % right


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_SEQUENCE:
        raise NeedsSandbox
    return result


_SAFE_BUILTINS: dict[str, Any] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list",
        "max", "min", "reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip",
        "ValueError", "KeyError", "TypeError", "Exception",
    )
}
# Scripts from other tools print for debugging; output goes nowhere.
_SAFE_BUILTINS["print"] = lambda *args, **kwargs: None

#: The names every expression and script sees besides the process variables.
GLOBAL_NAMES = frozenset({"datetime", "timedelta", "date", "timezone"})
_ENGINE_NAMES = frozenset(_SAFE_BUILTINS) | GLOBAL_NAMES | {"range"}


def clock_datetime(now: Callable[[], datetime]) -> type:
    """A ``datetime`` class whose ``now()`` reads the engine's clock."""

    def _now(cls: type, tz: timezone | None = None) -> datetime:
        current = now()
        return current.astimezone(tz) if tz is not None else current

    return type("datetime", (datetime,), {"now": classmethod(_now), "utcnow": classmethod(_now)})


def script_globals(now: Callable[[], datetime], guarded: bool = True) -> dict[str, Any]:
    """The globals code runs with: guarded here, plain operators in the sandbox (its limits hold there)."""
    builtins = dict(_SAFE_BUILTINS, range=_bounded_range if guarded else range)
    plain = {"__pf_pow": lambda a, b: a ** b, "__pf_mul": lambda a, b: a * b,
             "__pf_add": lambda a, b: a + b, "__pf_mod": lambda a, b: a % b}
    guards = {"__pf_pow": _guarded_pow, "__pf_mul": _guarded_mul, "__pf_add": _guarded_add,
              "__pf_mod": _guarded_mod}
    return {
        "__builtins__": builtins,
        **(guards if guarded else plain),
        "datetime": clock_datetime(now),
        "timedelta": timedelta,
        "date": date,
        "timezone": timezone,
    }


def evaluate(compiled: Compiled, variables: dict[str, Any], env: dict[str, Any]) -> Any:
    return eval(compiled.code, {**env, **variables})  # noqa: S307 - checked and sandboxed above


def execute(compiled: Compiled, variables: dict[str, Any], env: dict[str, Any]) -> set[str]:
    """Run a script; variables it sets, changes or deletes are written back. Returns the names written."""
    namespace = {**env, **variables}
    exec(compiled.code, namespace)  # noqa: S102 - checked and sandboxed above
    written = set()
    for name in [name for name in variables if name not in namespace]:
        del variables[name]
        written.add(name)
    for name, value in namespace.items():
        if name in env and value is env[name]:
            continue
        if name.startswith("__") or callable(value) or isinstance(value, type):
            continue
        if name not in variables or variables[name] is not value or name in compiled.names:
            variables[name] = value
            written.add(name)
    return written
