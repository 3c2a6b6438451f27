# Production-like image for docker-compose.yml: one image for web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 exchange
WORKDIR /app
COPY pyproject.toml README.md ./
COPY exchange ./exchange
COPY vacancies ./vacancies
COPY migrants ./migrants
COPY matching ./matching
RUN pip install .
COPY . .
# Static files are collected at build time; whitenoise serves them hashed and compressed.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && mkdir -p /data/media && chown exchange /data/media
USER exchange
EXPOSE 8000
CMD ["gunicorn", "exchange.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
