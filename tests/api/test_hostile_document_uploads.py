"""A hostile plan document sent to ``POST /api/v1/templates/drafts`` is answered 422 with a problem naming the
file and what is wrong, within seconds, and the worker that received it does not grow: the document was read
by a process of its own."""
from __future__ import annotations

import io
import resource
from time import perf_counter

import pytest

from tests.unit import hostile_files as hostile

HOSTILE = {  # the file, its name, what the answer says, its id
    "a 1 MB zip bomb stating a small size": (hostile.zip_bomb, "bomb.docx", "(a zip bomb)", "zip bomb"),
    "an entity bomb in a UTF-16 body": (lambda: hostile.word({"word/document.xml": hostile.body(
        head='<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>')
        .encode("utf-16")}), "entities.docx", "declares XML entities (word/document.xml)", "xml entities"),
    "99,225 pages from a few kilobytes": (hostile.pdf_of_shared_pages, "pages.pdf", "more than 300 pages",
                                          "too many pages"),
    "400 names in one sentence of a plan": (lambda: hostile.plan_with(hostile.names_sentence()).encode(),
                                            "names.txt", "names more than 100 agencies", "too many agencies in "
                                            "one sentence"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_upload_is_a_422_naming_the_file_and_the_worker_does_not_grow(as_user, case):
    make, name, says, kind = HOSTILE[case]
    data = make()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = perf_counter()
    response = as_user("dieuphoi").post("/api/v1/templates/drafts", data={"file": (io.BytesIO(data), name)},
                                        content_type="multipart/form-data")
    assert perf_counter() - started < 5
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert name in problem["detail"] and says in problem["detail"]
    assert problem["errors"] == {"file": [kind]}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 48 * 1024
