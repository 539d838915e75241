# Voice loop benchmark: N concurrent simulated calls, fake providers of fixed latency (README "Benchmarks").
BENCH_TARGETS += bench-voice
.PHONY: bench-voice
bench-voice:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/VoiceLoop -c Release -- $(if $(CALLS),--calls $(CALLS),)
