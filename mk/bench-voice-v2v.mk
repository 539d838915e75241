# Voice-to-voice latency with and without speculative replies, anchor-typical provider latencies (bench/VoiceLoop/VoiceToVoice.cs).
# Exits non-zero if the p50 with speculation is over 800 ms.
BENCH_TARGETS += bench-voice-v2v
.PHONY: bench-voice-v2v
bench-voice-v2v:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/VoiceLoop -c Release -- --mode v2v $(if $(CALLS),--calls $(CALLS),)
