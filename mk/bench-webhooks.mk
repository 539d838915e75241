# ElevenLabs webhook benchmark: signed post_call_transcription deliveries with 10% duplicates, SQLite and PostgreSQL.
BENCH_TARGETS += bench-webhooks
.PHONY: bench-webhooks
bench-webhooks:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/Webhooks -c Release -- $(if $(WEBHOOK_RATE),--rate $(WEBHOOK_RATE),) $(if $(WEBHOOK_SECONDS),--seconds $(WEBHOOK_SECONDS),) $(if $(WEBHOOK_DB),--db $(WEBHOOK_DB),)

# One post_call_transcription of 10,000 turns per database; fails over 1 s.
BENCH_TARGETS += bench-webhooks-huge
.PHONY: bench-webhooks-huge
bench-webhooks-huge:
	dotnet build src/Server/Server.csproj -c Release --nologo -v quiet
	dotnet run --project bench/Webhooks -c Release -- --huge-turns $(or $(WEBHOOK_TURNS),10000) $(if $(WEBHOOK_DB),--db $(WEBHOOK_DB),)
