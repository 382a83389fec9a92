# Slim image running `odop serve`. Migrations are a separate step:
#   docker run --rm -e ODOP_DATABASE_URL=... odop-showroom odop migrate
FROM python:3.11-slim AS build
WORKDIR /srv/odop
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir -e .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /srv/odop odop \
    && mkdir -p /srv/odop/data/media && chown -R odop /srv/odop/data
WORKDIR /srv/odop
COPY --from=build /opt/venv /opt/venv
COPY --chown=root:root . .
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    ODOP_ENV=production ODOP_MEDIA_DIR=/srv/odop/data/media
USER odop
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["odop", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
