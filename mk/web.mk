# Web app (web/): React + TypeScript, served by the server at / (UseWebApp). `make run` serves a fresh build;
# `make test` lints, typechecks and unit-tests it, then drives it in Debian's Chromium against the real server.
RUN_DEPS += build-web
TEST_TARGETS += test-web test-e2e
.PHONY: build-web test-web test-e2e

# npm ci only when the lockfile changed (npm writes node_modules/.package-lock.json on every install).
web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

build-web: web/node_modules/.package-lock.json
	cd web && npm run build && node scripts/bundle-report.mjs

test-web: web/node_modules/.package-lock.json
	cd web && npm run lint && npm run typecheck && npm test

# Starts the real server itself (free port, temp SQLite, demo data), runs the flows, stops it even on failure.
# Screenshots land in web/test-results/screenshots/.
test-e2e: web/node_modules/.package-lock.json $(STAMP)/apt
	dotnet build $(SERVER) -c Release --nologo -v quiet
	cd web && npm run build && E2E_SERVER_CONFIGURATION=Release npm run e2e
