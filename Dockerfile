# roadcarbon platform image: API + dashboard, runs as a non-root user.
# Build:  docker build -t roadcarbon .
# Run:    see compose.yaml and docs/deploy.md (production needs ROADCARBON_DATABASE_URL and ROADCARBON_SECRET_KEY)
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE DATA-LICENCES.md CITATION.cff ./
COPY src ./src
RUN python -m venv /opt/roadcarbon \
    && /opt/roadcarbon/bin/pip install ".[server]"

FROM python:3.11-slim
ENV PATH=/opt/roadcarbon/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ROADCARBON_LOG_FORMAT=json \
    HOME=/var/lib/roadcarbon
RUN useradd --system --uid 10001 --home-dir /var/lib/roadcarbon --create-home roadcarbon
COPY --from=build /opt/roadcarbon /opt/roadcarbon
USER roadcarbon
WORKDIR /var/lib/roadcarbon
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4).status == 200 else 1)"]
CMD ["roadcarbon", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-demo"]
