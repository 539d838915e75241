# Lead import benchmark: a 50 000-row CSV through POST /leads/import on SQLite and PostgreSQL, each within 30 s (README "Benchmarks").
BENCH_TARGETS += bench-lead-import
.PHONY: bench-lead-import
bench-lead-import:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/LeadImport -c Release -- $(if $(ROWS),--rows $(ROWS),) $(if $(SECONDS),--seconds $(SECONDS),)
