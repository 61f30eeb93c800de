"""``planflow serve``: the web pages and the API on Flask's own server (gunicorn runs ``server:create_app()``)."""
from __future__ import annotations

import os

import click

from cli.context import Context
from server import create_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.pass_obj
def serve(obj: Context, host: str, port: int) -> None:
    """Serve the web application (Flask's server; use gunicorn for production)."""
    app = create_app({"DATABASE_URL": obj.ready().url, "CLOCK": obj.clock})
    click.echo(f"planflow is serving on http://{host}:{port}/ (database {obj.database.url})")
    click.echo(f"  web: open http://{host}:{port}/ and sign in (e.g. dieuphoi and congan of 2022, dieuphoi.ldg and "
               "canbo.xuanhuong of 2026, kiemtra)")
    click.echo(f"  API: http://{host}:{port}/api/v1/ — OpenAPI: http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"  sign in: POST http://{host}:{port}/api/v1/login with {{\"username\": …, \"password\": …}}; "
               "the demo users are listed by 'planflow users list' (password as 'planflow seed' printed it)")
    clock = app.extensions["planflow"].clock
    if os.environ.get("PLANFLOW_NOW"):
        click.echo(f"  clock: as of {clock.now().isoformat(timespec='minutes')} (PLANFLOW_NOW), moving on from "
                   "there; PLANFLOW_NOW= (empty) runs on real time")
    else:
        click.echo("  clock: real time; PLANFLOW_NOW=2022-10-01T08:00+07:00 runs as of that morning "
                   "(the seed plans are dated 2021–2024)")
    app.run(host=host, port=port)
