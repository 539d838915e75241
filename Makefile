# Estate Voice — `make run` starts the product, `make test` runs every test, `make bench` prints benchmark figures.
SHELL := /bin/bash
.DEFAULT_GOAL := run
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

APT_PACKAGES := postgresql espeak-ng sox libsox-fmt-base pocketsphinx pocketsphinx-en-us chromium ffmpeg wrk redis-server
SERVER := src/Server/Server.csproj
STAMP := .make

.PHONY: run test test-dotnet bench deps clean

# Each area adds its own targets in mk/<area>.mk and appends to these lists (so work on one area never edits this file).
RUN_DEPS :=
TEST_TARGETS := test-dotnet
BENCH_TARGETS :=
-include mk/*.mk

# Installs the Debian packages the product and its tests use, once per machine.
$(STAMP)/apt:
	@mkdir -p $(STAMP)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

$(STAMP)/dotnet-tools: .config/dotnet-tools.json
	@mkdir -p $(STAMP)
	dotnet tool restore
	@touch $@

deps: $(STAMP)/apt $(STAMP)/dotnet-tools

# Runs from the repository root so the default DATABASE_URL (sqlite:///data/estate.db) lands in ./data.
run: deps $(RUN_DEPS)
	dotnet build $(SERVER) -c Release --nologo -v quiet
	SEED_DEMO_DATA=$${SEED_DEMO_DATA:-true} dotnet src/Server/bin/Release/net10.0/EstateVoice.Server.dll --contentRoot $(CURDIR)/src/Server

test: deps
	@$(MAKE) --no-print-directory $(TEST_TARGETS)

# Prints the plain "dotnet: N passed, N failed" closing line CI reads, from dotnet's own summary.
test-dotnet:
	@mkdir -p $(STAMP); set -o pipefail; dotnet test EstateVoice.slnx -c Release --logger "console;verbosity=minimal" 2>&1 | tee $(STAMP)/dotnet-test.log; \
	status=$$?; \
	passed=$$(grep -oE 'Passed: +[0-9]+' $(STAMP)/dotnet-test.log | awk '{ s += $$NF } END { print s + 0 }'); \
	failed=$$(grep -oE 'Failed: +[0-9]+' $(STAMP)/dotnet-test.log | awk '{ s += $$NF } END { print s + 0 }'); \
	echo "dotnet: $${passed:-0} passed, $${failed:-0} failed"; \
	[ "$$status" -eq 0 ] && [ "$${passed:-0}" -gt 0 ]

bench: deps
	@if [ -z "$(strip $(BENCH_TARGETS))" ]; then echo "no benchmarks yet"; else $(MAKE) -k --no-print-directory $(BENCH_TARGETS); fi

clean:
	rm -rf $(STAMP) src/*/bin src/*/obj tests/*/bin tests/*/obj
