# Property search benchmark: 100 000 listings in PostgreSQL, 200 requests/s for 30 s (README "Benchmarks").
BENCH_TARGETS += bench-search
.PHONY: bench-search
bench-search:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/PropertySearch -c Release -- $(if $(ROWS),--rows $(ROWS),) $(if $(RATE),--rate $(RATE),) $(if $(SECONDS),--seconds $(SECONDS),)
