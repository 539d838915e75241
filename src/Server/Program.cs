using EstateVoice.Server.Features.Admin;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Features.Calls;
using EstateVoice.Server.Features.Calls.Analysis;
using EstateVoice.Server.Features.Leads;
using EstateVoice.Server.Features.Notifications;
using EstateVoice.Server.Features.Outbound;
using EstateVoice.Server.Features.Outbound.Campaigns;
using EstateVoice.Server.Features.Properties;
using EstateVoice.Server.Features.Reports;
using EstateVoice.Server.Features.Showings;
using EstateVoice.Server.Features.Storage;
using EstateVoice.Server.Features.Telephony;
using EstateVoice.Server.Features.Voice;
using EstateVoice.Server.Features.Webhooks.ElevenLabs;
using EstateVoice.Server.Features.Webhooks.Outgoing;
using EstateVoice.Server.Infrastructure.Configuration;
using EstateVoice.Server.Infrastructure.Data;
using EstateVoice.Server.Infrastructure.Data.Seed;
using EstateVoice.Server.Infrastructure.Http;
using EstateVoice.Server.Infrastructure.Jobs;
using EstateVoice.Server.Infrastructure.Observability;
using EstateVoice.Server.Infrastructure.Redis;

EnvFile.Load();
SocketCompletions.Configure();
var builder = WebApplication.CreateBuilder(args);

builder.AddAppConfiguration();
builder.AddHttp();
builder.AddOperations();
builder.AddObservability();
builder.AddDatabase();
builder.AddJobs();
builder.AddCallAnalysis();
builder.AddOutgoingWebhooks();
builder.Services.AddScoped<DemoDataSeeder>();
builder.AddAuth();
builder.Services.AddScoped<UserChanges>();
builder.Services.AddTelephony();
builder.AddStorage();
builder.AddElevenLabsWebhooks();
builder.AddVoice();
builder.AddShowings();
builder.AddLeads();
builder.AddOutbound();
builder.AddNotifications();
builder.AddRedis();

var app = builder.Build();

app.UseHttp();
app.UseWebApp();
app.UseAuthentication();
app.UseAuthorization();
app.UseNulCharacterCheck();

app.MapOperations();
app.MapAuthApi();
app.MapCallRecordingApi();
app.MapElevenLabsApi();
app.MapPropertiesApi();
app.MapLeadsApi();
app.MapCallsApi();
app.MapCallAnalysisApi();
app.MapWebhookDeliveriesAdminApi();
app.MapShowingsApi();
app.MapReportsApi();
app.MapAdminApi();
app.MapOutbound();
app.MapTelephonyApi();
app.MapCampaignsApi();
app.MapNotificationsApi();
app.MapVoice();

app.Run();

public partial class Program;
