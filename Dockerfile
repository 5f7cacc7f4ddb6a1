# Tanyuan 探源: the production image. One image runs the web process (gunicorn)
# and the task worker (manage.py db_worker); see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=kb.settings \
    KB_VAR_DIR=/var/lib/tanyuan

WORKDIR /app

# Dependencies first, read from pyproject.toml, so this layer is rebuilt only
# when the dependency list changes, not on every code edit.
COPY pyproject.toml requirements-models.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && pip install --no-deps -r requirements-models.txt \
    && rm /tmp/requirements.txt

# Editable, so the code runs from /app where templates/, static/ and locale/
# live (BASE_DIR), with no second copy of the packages in site-packages.
COPY . .
RUN pip install --no-deps -e .

# Static files are collected into the image and served by whitenoise. The key
# below exists only for this build step (settings refuse to load without one
# when DEBUG is off); the running container gets the real SECRET_KEY.
RUN SECRET_KEY=collectstatic-build-step-only DEBUG=0 python manage.py collectstatic --noinput

# A non-root user owns only the writable state: uploaded media and the search
# index (volumes in docker-compose.yml) and, without DATABASE_URL, the SQLite file.
# The directories exist here so fresh named volumes inherit this ownership.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin tanyuan \
    && mkdir -p "$KB_VAR_DIR/media" "$KB_VAR_DIR/search-index" \
    && chown tanyuan:tanyuan "$KB_VAR_DIR" "$KB_VAR_DIR/media" "$KB_VAR_DIR/search-index"
USER tanyuan

EXPOSE 8000

# Healthy means Django answers: any response below 500 (a redirect to HTTPS or
# the login page included). The Host header is the first ALLOWED_HOSTS entry
# so the check does not log DisallowedHost errors. The worker disables this.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import http.client, os, sys; host = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; c = http.client.HTTPConnection('127.0.0.1', 8000, timeout=4); c.request('GET', '/', headers={'Host': host, 'X-Forwarded-Proto': 'https'}); sys.exit(0 if c.getresponse().status < 500 else 1)"]

CMD ["gunicorn", "kb.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
