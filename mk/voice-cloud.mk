# Offline recogniser accuracy: word error rate of pocketsphinx on the caller fixtures (prints per-file hypotheses).
BENCH_TARGETS += bench-local-stt
.PHONY: bench-local-stt
bench-local-stt:
	dotnet test tests/Server.Tests -c Release --nologo --filter "FullyQualifiedName~PocketsphinxAccuracyTests" \
	  --logger "console;verbosity=detailed" 2>&1 | grep -E "heard:|WER" || true
