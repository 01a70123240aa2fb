# One image for the web server, the Celery worker and Celery beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH="/app/.venv/bin:$PATH"

# WeasyPrint (PDF reports) needs Pango, HarfBuzz's subsetter (without it renders are several
# times slower) and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv \
    && useradd --system --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-cache

# The code; .dockerignore keeps a developer's .venv, .env, database and caches out.
COPY . .

# var/ holds uploaded files (a volume) and Celery beat's schedule.
RUN mkdir -p var/media staticfiles && chown -R app:app var staticfiles

USER app
EXPOSE 8000
CMD ["gunicorn", "stodperson.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
