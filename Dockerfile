# Estate Voice: one image with the server and the web app it serves (docs/deployment.md).
#   docker build -t estate-voice .
#   docker run --rm -p 8000:8000 -e SEED_DEMO_DATA=true estate-voice     # demo mode on SQLite, http://localhost:8000
# Three stages: the web app is built with Node, the server published with the .NET SDK, and only their outputs
# land on the ASP.NET runtime image (no SDK, no node_modules, no sources).

# ---- 1. web app (web/ -> web/dist), the same `npm ci` + `npm run build` that `make build-web` runs ----
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
# The lockfile first, so a source change does not re-download every package.
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---- 2. server (dotnet publish of src/Server) ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS server
WORKDIR /src
# Central package versions, analyzer settings (warnings are errors in Release, as in `make test`) and the project
# file first: restore is cached until a dependency changes. global.json is left out on purpose: it pins the SDK
# feature band of the development machines, and the SDK image carries whichever band Microsoft ships.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Server/Server.csproj src/Server/
RUN dotnet restore src/Server/Server.csproj
COPY src/Server/ src/Server/
RUN dotnet publish src/Server/Server.csproj -c Release --no-restore -o /out /p:UseAppHost=false

# ---- 3. runtime ----
# The ASP.NET 10 image (Ubuntu 24.04). It brings the non-root user `app` (uid $APP_UID, 1654).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Offline providers, used when no Deepgram / Azure OpenAI keys are set (espeak-ng also speaks when Deepgram TTS fails):
# - espeak-ng: text-to-speech;
# - pocketsphinx + pocketsphinx-en-us: speech-to-text; the server P/Invokes 0.8+5prealpha's C API
#   (libpocketsphinx.so.3, libsphinxbase.so.3) and reads /usr/share/pocketsphinx/model/en-us (POCKETSPHINX_MODEL_DIR);
# - ffmpeg: converting recordings by hand inside the container (the server does not call it today);
# - curl: the HEALTHCHECK.
# The checks fail the build, not the first call, if the distribution ever ships a pocketsphinx with another ABI.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      espeak-ng pocketsphinx pocketsphinx-en-us ffmpeg curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && ldconfig -p | grep -q 'libpocketsphinx\.so\.3 ' \
 && ldconfig -p | grep -q 'libsphinxbase\.so\.3 ' \
 && test -d /usr/share/pocketsphinx/model/en-us

WORKDIR /app
COPY --from=server /out ./
# WebAppHosting looks for web/dist under the content root (the working directory, /app): the same place `make run`
# finds it relative to the repository.
COPY --from=web /src/web/dist ./web/dist
# DATA_DIR's default (`data`, relative to /app): generated demo secrets, the demo SQLite file and local recordings.
# Owned by the non-root user; mount a volume here to keep them, or use PostgreSQL + Azure Storage (compose.yaml).
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID

# The server listens on HOST:PORT (default 127.0.0.1:8000, which a container cannot be reached on).
ENV HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000

# Liveness only (the process answers); readiness (/health/ready: 503 while draining or with the database down) is
# for load balancers, not for Docker restarting a container that is finishing its calls.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health/live" >/dev/null || exit 1

# SIGTERM starts the drain (new media streams refused, live calls finish, up to Drain__TimeoutSeconds); give the
# container that long to stop: `docker stop -t 660`, compose's stop_grace_period, Kubernetes'
# terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "EstateVoice.Server.dll"]
