"""gunicorn settings for Rapport: ``gunicorn -c python:survey.gunicorn_conf survey.wsgi:app``.

Every value comes from the environment through the app's strict parsers, so the same file
serves `make run`, a wheel install and a container. The file lives in the package (not at the
top of the repository) so that an installed wheel carries it too.

- ``SURVEY_BIND`` (``127.0.0.1:8000``): where to listen;
- ``SURVEY_WORKERS`` (2) and ``SURVEY_THREADS`` (4): processes, and threads in each;
- ``SURVEY_FORWARDED_ALLOW_IPS`` (``127.0.0.1,::1``): the proxies whose X-Forwarded-Proto
  gunicorn believes (see also ``SURVEY_PROXY_HOPS`` for the app's own ProxyFix);
- the worker timeout is ``SURVEY_PDF_TIMEOUT`` plus a margin, so a slow PDF ends in the
  app's own page rather than gunicorn killing the worker.
"""

from __future__ import annotations

import os

from survey.config import env_int

#: Seconds a worker has beyond the PDF limit to render the "took too long" page.
TIMEOUT_MARGIN = 30

bind = os.environ.get("SURVEY_BIND", "127.0.0.1:8000")
workers = env_int(os.environ, "SURVEY_WORKERS", 2)
threads = env_int(os.environ, "SURVEY_THREADS", 4)
worker_class = "gthread"
timeout = env_int(os.environ, "SURVEY_PDF_TIMEOUT", 60) + TIMEOUT_MARGIN
graceful_timeout = timeout
accesslog = "-"
errorlog = "-"
# Leaves the health probes out of the access log at the default level (see survey.logs).
logger_class = "survey.logs.AccessLogger"
forwarded_allow_ips = os.environ.get("SURVEY_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which two
# instances on one host would fight over; Rapport's operator commands are `survey ...` instead.
control_socket_disable = True
