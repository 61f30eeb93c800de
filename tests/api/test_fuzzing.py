"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis): for every operation,
generated requests (valid and not) never get a 5xx, and every answer matches what the document says:
status, content type, headers, body.

A coordinator's token signs the requests (coordinators reach the most routes), on a copy of the seeded
database. Every check of schemathesis runs but one: "a schema-valid request must be accepted"
(``positive_data_acceptance``), as some rules cannot be said in JSON Schema: a day of the calendar (the
document gives the pattern, not that February has 28 days), a draft's file that holds no plan, an
extension later than the deadline it extends. Those are answered 422 with the reason, as documented. ``PLANFLOW_FUZZ_EXAMPLES`` sets the examples an operation (default 10, for a quick ``make test``; CI
runs 15); every failing operation is
reported, with schemathesis' own account of the failure, not only the first.
"""
from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is installed with planflow's test extras")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from .conftest import TOKENS  # noqa: E402

EXAMPLES = int(os.environ.get("PLANFLOW_FUZZ_EXAMPLES", "10"))


def test_every_operation_answers_as_its_document_says(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {TOKENS['dieuphoi']}", "Accept-Language": "en"}
    failures, tried = {}, 0
    for result, mode in ((result, mode) for result in schema.get_all_operations()
                         for mode in schemathesis.GenerationMode):
        operation = result.ok()
        tried += 1

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case):
            case.call_and_validate(headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance])

        try:
            fuzz()
        except Unsatisfiable:
            pass  # nothing to make invalid: the operation takes no input (GET /health, negative data)
        except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - every failure is kept, all reported
            failures[f"{operation.label} ({mode.value} data)"] = str(failure)[:3000]
    assert tried > 60
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
