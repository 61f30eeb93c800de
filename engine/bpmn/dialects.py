"""Other modelling tools' expression dialects, translated at import into restricted Python.

Camunda 7 writes conditions in JUEL (``${approved}``), Camunda 8 in FEEL
(``= approved``), and many tools write bare ISO 8601 timer texts (``P7D``).
A file is translated when it is deployed, so that one which cannot be run is
refused then, with a message saying what planflow does support, never
halfway through a run.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from engine.bpmn.expressions import UnsafeExpression, check_source

#: What every refusal of a condition adds: what the engine evaluates instead.
SUPPORTED_CONDITIONS = ("planflow evaluates conditions written in Python (e.g. approved == True); "
                        "Camunda ${…} (JUEL) and FEEL '= …' names, literals and comparisons are translated")

_XPATH_HINTS = re.compile(r"(true|false|not|count|string|number|boolean)\(\s*\)|getDataObject|getActivityInstance"
                          r"|bpmn:|^\s*/|\$\w+/|\w+/\w+")


def looks_like_xpath(text: str) -> bool:
    return bool(_XPATH_HINTS.search(text))


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
    if not text.strip():
        raise UnsafeExpression("is empty; write a Python expression such as approved == True, or remove the "
                               "condition and make the flow the gateway's default")
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
    try:
        check_source(python, "eval")
    except UnsafeExpression as error:
        if error.syntax and looks_like_xpath(python):
            raise UnsafeExpression(f"'{_clip(python)}' is an XPath expression, which planflow does not evaluate; "
                                   + SUPPORTED_CONDITIONS) from None
        if error.syntax:
            raise UnsafeExpression(f"'{_clip(python)}' {error}; {SUPPORTED_CONDITIONS}", syntax=True) from None
        raise
    return python


def _clip(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


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
