"""``planflow serve``: the web application's own command, added to ``planflow`` through an entry point."""
from __future__ import annotations

import click

from . import create_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.pass_obj
def serve(obj, host: str, port: int) -> None:
    """Serve the web application (Flask's server; use gunicorn for production)."""
    app = create_app({"DATABASE_URL": obj.database.url})
    click.echo(f"planflow is serving on http://{host}:{port}/ (database {obj.database.url})")
    click.echo(f"  API: http://{host}:{port}/api/v1/ — OpenAPI: http://{host}:{port}/api/v1/openapi.json")
    click.echo(f"  sign in: POST http://{host}:{port}/api/v1/login with {{\"username\": …, \"password\": …}}; "
               "the demo users are listed by 'planflow users list' (password as 'planflow seed' printed it)")
    app.run(host=host, port=port)
