using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Infrastructure.Configuration;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Data.Seed;
using EstateVoice.Server.Infrastructure.Http;

EnvFile.Load();
var builder = WebApplication.CreateBuilder(args);

builder.AddAppConfiguration();
builder.AddHttp();
builder.AddOperations();
builder.AddDatabase();
builder.Services.AddScoped<DemoDataSeeder>();
builder.AddAuth();
builder.AddVoice();

var app = builder.Build();

app.UseHttp();
app.UseWebApp();
app.UseAuthentication();
app.UseAuthorization();

app.MapOperations();
app.MapAuthApi();

app.MapVoice();

app.Run();

public partial class Program;
