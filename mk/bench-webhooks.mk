# ElevenLabs webhook benchmark: signed post_call_transcription deliveries with 10% duplicates, SQLite and PostgreSQL.
BENCH_TARGETS += bench-webhooks
.PHONY: bench-webhooks
bench-webhooks:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/Webhooks -c Release -- $(if $(WEBHOOK_RATE),--rate $(WEBHOOK_RATE),) $(if $(WEBHOOK_SECONDS),--seconds $(WEBHOOK_SECONDS),) $(if $(WEBHOOK_DB),--db $(WEBHOOK_DB),)
