# Azurite (Azure Blob emulator) for the storage tests: pinned in tests/azurite (3.36+ needs Node 22; machines have 20).
# test-dotnet depends on it, so the Azurite-backed tests always run; the test fixture starts/stops its own instances.
AZURITE_STAMP := tests/azurite/node_modules/.package-lock.json

.PHONY: azurite-deps
azurite-deps: $(AZURITE_STAMP)

$(AZURITE_STAMP): tests/azurite/package.json tests/azurite/package-lock.json
	cd tests/azurite && npm ci --no-audit --no-fund
	@touch $@

test-dotnet: azurite-deps
