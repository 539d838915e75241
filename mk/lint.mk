# C# style: `dotnet format` (ships with the SDK) checks whitespace, code style and analyzer findings against
# .editorconfig without changing anything; a difference fails `make test`. Fix locally with `make format`.
TEST_TARGETS += lint-dotnet
.PHONY: lint-dotnet format

lint-dotnet:
	dotnet format EstateVoice.slnx --verify-no-changes -v quiet

format:
	dotnet format EstateVoice.slnx -v quiet
