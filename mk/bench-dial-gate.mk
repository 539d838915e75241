# Dial gate benchmark: compliance decisions per second, 100 000-lead campaign, 1 000 000-number registry, target >= 50 000/s (README "Benchmarks").
BENCH_TARGETS += bench-dial-gate
.PHONY: bench-dial-gate
bench-dial-gate:
	dotnet run --project bench/DialGate -c Release -- $(if $(LEADS),--leads $(LEADS),) $(if $(REGISTRY),--registry $(REGISTRY),)
