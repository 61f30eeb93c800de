"""gunicorn's settings for planflow: ``gunicorn -c deploy/gunicorn.conf.py 'server:create_app()'``.

Every value comes from the environment (deploy/planflow.env), so that systemd, the container and a
developer's shell start the same server.
"""
import os

bind = os.environ.get("PLANFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PLANFLOW_WEB_WORKERS", "2"))
# Each worker opens its own database connections after the fork: the app is not preloaded.
preload_app = False
timeout = 60  # a plan launch of a few thousand instances stays well under this
graceful_timeout = 30  # on SIGTERM, requests under way finish first
forwarded_allow_ips = os.environ.get("PLANFLOW_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
