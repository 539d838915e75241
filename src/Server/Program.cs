using EstateVoice.Server.Features.Voice;

var builder = WebApplication.CreateBuilder(args);
builder.AddVoice();

var app = builder.Build();

app.MapGet("/health", () => TypedResults.Ok(new { status = "healthy" }));

app.MapVoice();

app.Run();

public partial class Program;
