"""Headers every answer carries, so that a browser treats planflow's pages and data as they are meant.

- ``X-Content-Type-Options: nosniff``: a file is what its type says (evidence that lies about its type is not
  run as a script or a page);
- ``Content-Security-Policy``: pages run only planflow's own scripts (no inline script, no other origin) and are
  framed by nobody else; any other answer (JSON, a file) loads nothing and is framed by nobody;
  ``X-Frame-Options`` says the same to older browsers;
- ``Referrer-Policy: same-origin``: task and plan addresses do not leak to other sites;
- ``Cache-Control: no-store`` on every answer that is not a static asset and sets no caching of its own: worklists,
  reports and evidence are personal data, kept by no browser or proxy cache;
- ``Strict-Transport-Security`` when the request came over HTTPS (behind a proxy, gunicorn's
  ``forwarded_allow_ips`` and ``X-Forwarded-Proto`` say so).

A route that sets its own policy (an evidence file, sandboxed) keeps it.
"""
from __future__ import annotations

from flask import Flask, Response, request

#: The pages: their scripts and styles from planflow itself; bpmn-js and Swagger UI set styles inline, pdf.js
#: draws from a worker and blobs. Nothing may frame them but planflow (the evidence preview).
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
               "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'self'")
#: Everything else: data, not a document; it loads nothing and nobody frames it.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    app.after_request(secure)


def secure(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    policy = headers.get("Content-Security-Policy")
    if policy is None:
        headers["Content-Security-Policy"] = PAGE_POLICY if response.mimetype == "text/html" else DATA_POLICY
    elif "frame-ancestors" not in policy:
        headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'self'"
    static = (request.endpoint or "").endswith("static")
    if not static and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
