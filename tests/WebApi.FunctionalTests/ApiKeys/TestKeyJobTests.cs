using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.ApiKeys;

/// <summary>A test key's jobs run on the built-in generator even when a remote model server is configured.</summary>
public sealed class TestKeyJobTests
{
    [Fact]
    public async Task TestKeysJob_CompletesOnTheBuiltInGenerator_AndTheRemoteServerHearsNothing()
    {
        await using var modelServer = await RejectingModelServer.StartAsync();
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["ModelServer:Url"] = modelServer.Url,
            ["ModelServer:Protocol"] = "shap-e",
        });
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read", "jobs:write", "assets:read"], mode: "test");
        var keyClient = factory.CreateKeyClient(key.Secret());

        var created = await (await keyClient.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube", formats = new[] { "glb" } })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await keyClient.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid());

        job.GetProperty("status").GetString().ShouldBe("completed");
        var assets = await (await keyClient.GetAsync($"/api/assets?jobId={job.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);
        assets.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("format").GetString()).Order().ShouldBe(["glb", "png"]);
        modelServer.Requests.ShouldBe(0);
    }

    [Fact]
    public async Task LiveKeysJob_GoesToTheConfiguredRemoteServer()
    {
        await using var modelServer = await RejectingModelServer.StartAsync();
        using var factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["ModelServer:Url"] = modelServer.Url,
            ["ModelServer:Protocol"] = "shap-e",
        });
        var user = await factory.CreateUserAsync();
        var key = await factory.CreateClient(user.AccessToken).CreateApiKeyAsync(["jobs:read", "jobs:write"]);
        var keyClient = factory.CreateKeyClient(key.Secret());

        var created = await (await keyClient.PostAsJsonAsync("/api/jobs", new { prompt = "a red cube" })).ReadJsonAsync(HttpStatusCode.Accepted);
        var job = await keyClient.WaitForJobAsync(created.GetProperty("job").GetProperty("id").GetGuid(), "failed");

        job.GetProperty("error").GetString()!.ShouldContain(RejectingModelServer.Error);
        modelServer.Requests.ShouldBe(1);
    }
}
