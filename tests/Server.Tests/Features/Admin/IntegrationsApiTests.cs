using System.Net;
using System.Text.Json;
using EstateVoice.Server.Features.Auth;
using EstateVoice.Server.Tests.Fakes;
using EstateVoice.Server.Tests.Features.Crm;
using EstateVoice.Server.Tests.Features.Notifications;
using EstateVoice.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EstateVoice.Server.Tests.Features.Admin;

public class IntegrationsApiTests
{
    [Fact]
    public async Task The_list_shows_what_is_set_up_without_secrets_and_unset_services_answer_409_naming_the_env_vars()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["DEEPGRAM_API_KEY"] = "dg-secret-value", ["DEEPGRAM_API_URL"] = "http://127.0.0.1:9" });
        var admin = await app.ClientForRoleAsync(UserRole.Admin);

        var response = await admin.GetAsync("/admin/integrations");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("dg-secret-value", text, StringComparison.Ordinal);
        var items = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal(["twilio", "deepgram", "azure-openai", "elevenlabs", "storage", "smtp"], items.Keys);
        Assert.True(items["deepgram"].GetProperty("configured").GetBoolean());
        Assert.Contains("API key set", items["deepgram"].GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("local", items["storage"].GetProperty("mode").GetString());
        Assert.False(items["smtp"].GetProperty("configured").GetBoolean());

        var smtp = await admin.PostAsync("/admin/integrations/smtp/test", null);
        Assert.Equal(HttpStatusCode.Conflict, smtp.StatusCode);
        Assert.Contains("SMTP_HOST", await smtp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var unknown = await admin.PostAsync("/admin/integrations/carrier-pigeon/test", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        // Nothing listens on port 9: a failed result, not a 500.
        var deepgram = await TestAsync(admin, "deepgram");
        Assert.False(deepgram.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Deepgram_test_reaches_the_server_with_the_key_and_a_refused_key_says_so()
    {
        await using var deepgram = await FakeDeepgramServer.StartAsync();
        await using (var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["DEEPGRAM_API_KEY"] = FakeDeepgramServer.ApiKey, ["DEEPGRAM_API_URL"] = deepgram.BaseUrl }))
        {
            var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "deepgram");
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
            Assert.Equal(["Token " + FakeDeepgramServer.ApiKey], deepgram.ProjectsRequests);
        }
        await using (var app = await AppFactory.CreateAsync(Db.Sqlite, new() { ["DEEPGRAM_API_KEY"] = "wrong", ["DEEPGRAM_API_URL"] = deepgram.BaseUrl }))
        {
            var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "deepgram");
            Assert.False(result.GetProperty("ok").GetBoolean());
            Assert.Equal(401, result.GetProperty("status").GetInt32());
            Assert.Contains("refused the key", result.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Twilio_test_fetches_the_account_through_the_sdk_and_a_refused_token_says_so()
    {
        await using var twilio = await FakeTwilioRestServer.StartAsync();
        Dictionary<string, string?> Settings(string token) => new()
        {
            ["TWILIO_ACCOUNT_SID"] = FakeTwilioRestServer.AccountSid, ["TWILIO_AUTH_TOKEN"] = token,
            ["TWILIO_API_URL"] = twilio.BaseUrl, ["PUBLIC_BASE_URL"] = "https://voice.example.com",
        };
        await using (var app = await AppFactory.CreateAsync(Db.Sqlite, Settings(FakeTwilioRestServer.AuthToken)))
        {
            var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "twilio");
            Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
            Assert.Equal($"/2010-04-01/Accounts/{FakeTwilioRestServer.AccountSid}.json", Assert.Single(twilio.Requests).Path);
        }
        await using (var app = await AppFactory.CreateAsync(Db.Sqlite, Settings("wrong-token")))
        {
            var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "twilio");
            Assert.False(result.GetProperty("ok").GetBoolean());
            Assert.Equal(401, result.GetProperty("status").GetInt32());
            Assert.Contains("refused the key", result.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Azure_openai_test_asks_for_one_token_from_the_deployment()
    {
        await using var azure = await FakeAzureOpenAIServer.StartAsync();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, new()
        {
            ["AZURE_OPENAI_ENDPOINT"] = azure.BaseUrl, ["AZURE_OPENAI_API_KEY"] = FakeAzureOpenAIServer.ApiKey,
            ["AZURE_OPENAI_DEPLOYMENT"] = FakeAzureOpenAIServer.Deployment,
        });

        var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "azure-openai");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Contains(azure.Requests, r => r.Body["max_tokens"]?.GetValue<int>() == 1
            && r.Path == $"/openai/deployments/{FakeAzureOpenAIServer.Deployment}/chat/completions");
    }

    [Fact]
    public async Task Elevenlabs_test_sends_the_key_to_v1_user_and_a_refused_key_says_so()
    {
        await using var api = await FakeElevenLabsApi.StartAsync();
        foreach (var (key, ok) in new[] { (FakeElevenLabsApi.ApiKey, true), ("wrong", false) })
        {
            await using var app = await AppFactory.CreateAsync(Db.Sqlite, new()
            {
                ["ELEVENLABS_API_URL"] = api.BaseUrl.ToString(), ["ELEVENLABS_API_URL_ALLOW_LOCAL"] = "true", ["ELEVENLABS_API_KEY"] = key,
            });
            var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "elevenlabs");
            Assert.Equal(ok, result.GetProperty("ok").GetBoolean());
            Assert.Equal(ok ? 200 : 401, result.GetProperty("status").GetInt32());
            Assert.Equal(key, api.ApiKeys.Last());
        }
    }

    [Fact]
    public async Task Storage_test_writes_reads_back_and_deletes_a_blob()
    {
        await using var app = await AppFactory.CreateAsync(Db.Sqlite);
        var result = await TestAsync(await app.ClientForRoleAsync(UserRole.Admin), "storage");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var directory = app.Services.GetRequiredService<EstateVoice.Server.Features.Storage.StorageOptions>().LocalDirectory;
        Assert.Empty(Directory.Exists(Path.Combine(directory, "integration-tests")) ? Directory.GetFiles(Path.Combine(directory, "integration-tests")) : []);
    }

    [Fact]
    public async Task Smtp_test_emails_the_signed_in_admin()
    {
        await using var smtp = FakeSmtpServer.Start();
        await using var app = await AppFactory.CreateAsync(Db.Sqlite, smtp.Settings);
        var admin = await app.ClientForRoleAsync(UserRole.Admin);

        var result = await TestAsync(admin, "smtp");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var message = await smtp.NextAsync();
        var me = await admin.GetJsonAsync("/auth/me");
        Assert.Equal(me.GetProperty("email").GetString(), message.To.Mailboxes.Single().Address);
        Assert.Equal("Estate Voice test email", message.Subject);
    }

    private static async Task<JsonElement> TestAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsync($"/admin/integrations/{name}/test", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
