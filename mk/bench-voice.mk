# Voice loop benchmark: N concurrent simulated calls, fake providers of fixed latency (README "Benchmarks").
# Exits non-zero when any step misses a target. VOICE_TOOLS=1: turn 1 searches listings, turn 2 books a showing
# (real database work); VOICE_DB=postgres runs the server on a PostgreSQL the bench starts; VOICE_OTLP=1 exports
# traces and metrics over OTLP to a collector that discards them (what tracing costs).
BENCH_TARGETS += bench-voice
.PHONY: bench-voice
bench-voice:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/VoiceLoop -c Release -- $(if $(CALLS),--calls $(CALLS),) $(if $(VOICE_TOOLS),--tools,) $(if $(VOICE_DB),--db $(VOICE_DB),) $(if $(VOICE_NODES),--nodes $(VOICE_NODES),) $(if $(VOICE_OTLP),--otlp,)

# The tool-using calls on both databases (issue 11): the same targets as bench-voice.
BENCH_TARGETS += bench-voice-tools
.PHONY: bench-voice-tools
bench-voice-tools:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	@# Both databases run even when the first misses a target; the target fails if either did.
	rc=0; \
	dotnet run --project bench/VoiceLoop -c Release -- $(if $(CALLS),--calls $(CALLS),) --tools --db sqlite || rc=1; \
	dotnet run --project bench/VoiceLoop -c Release --no-build -- $(if $(CALLS),--calls $(CALLS),) --tools --db postgres || rc=1; \
	exit $$rc
