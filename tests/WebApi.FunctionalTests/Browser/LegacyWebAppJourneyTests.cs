using System.Text.Json;
using CleanBackend.WebApi.FunctionalTests.Support;
using Microsoft.Playwright;

namespace CleanBackend.WebApi.FunctionalTests.Browser;

/// <summary>
/// The replaced backend's web app, as a page in a real headless chromium on an origin of its own, making the web
/// app's calls in its order against the service listening on another loopback port through /legacy: every call is a
/// real cross-origin request, preflights and all, and the model file is fetched the way its three.js loader does.
/// </summary>
public sealed class LegacyWebAppJourneyTests : IAsyncLifetime
{
    private const string PageFile = "Browser/legacy-web-app.html";

    private static readonly string[] UserFields = ["_id", "createdAt", "email", "emailVerified", "id", "isActive", "lastLoginAt", "roles", "userName"];

    private static readonly string[] ModelUrls = ["glbUrl", "objUrl", "plyUrl", "mtlUrl"];

    private readonly List<string> _console = [];

    private WebAppOrigin _origin = null!;
    private CleanBackendFactory _service = null!;
    private string _serviceUrl = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        _origin = await WebAppOrigin.StartAsync(Path.Combine(AppContext.BaseDirectory, PageFile));
        _serviceUrl = $"http://127.0.0.1:{LoopbackPort.Free()}";
        _service = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["urls"] = _serviceUrl,
            ["App:ApiUrl"] = _serviceUrl,
            ["Cors:AllowedOrigins"] = _origin.Url,
        });
        _service.UseKestrel();
        _service.StartServer();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
            Args = ["--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
        _page = await OpenWebAppAsync(_origin.Url);
    }

    /// <summary>The web app loaded from <paramref name="origin"/>, built against the service's /legacy surface.</summary>
    private async Task<IPage> OpenWebAppAsync(string origin)
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            // The browser reports every error status it receives; the tests check those answers themselves.
            if (!message.Text.StartsWith("Failed to load resource: the server responded with a status of", StringComparison.Ordinal))
            {
                _console.Add($"{message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _console.Add($"page error: {error}");
        await page.GotoAsync($"{origin}/?api={Uri.EscapeDataString(_serviceUrl + "/legacy")}");
        return page;
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _service.DisposeAsync();
        await _origin.DisposeAsync();
    }

    [BrowserFact]
    public async Task TheWebApp_FromItsOwnOrigin_SignsUp_AsksForAModel_ShowsIt_PinsTheChat_RefreshesItsToken_AndSignsOut()
    {
        const string prompt = "A small red wooden boat with a white sail";
        var email = AuthFlow.NewEmail();
        var userName = "Grace Hopper";
        var password = "Secret123";

        // Sign up: the page posts the form, the person reads the code in the e-mail and types it in, then signs in.
        await ShouldSucceedAsync(await RequestAsync("POST", "/auth/register", new { email, userName, password }));
        var code = await _service.Mailbox.WaitForVerificationCodeAsync(email);
        await ShouldSucceedAsync(await RequestAsync("POST", "/auth/register/verify", new { email, code }));
        var login = await ShouldSucceedAsync(await RunAsync("([email, password]) => webApp.login(email, password)", new[] { email, password }));
        login.GetProperty("token").GetString().ShouldNotBeNullOrWhiteSpace();
        login.GetProperty("refreshToken").GetString().ShouldNotBeNullOrWhiteSpace();
        var user = login.GetProperty("user");
        user.PropertyNames().ShouldBe(UserFields);
        var userId = user.GetProperty("id").GetGuid();
        user.GetProperty("email").GetString().ShouldBe(email);
        user.GetProperty("userName").GetString().ShouldBe(userName);
        user.GetProperty("roles").Strings().ShouldBe(["user"]);
        user.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();

        var me = await ShouldSucceedAsync(await RequestAsync("GET", "/auth/me"));
        me.PropertyNames().ShouldBe(UserFields);
        me.GetProperty("_id").GetGuid().ShouldBe(userId);
        me.GetProperty("email").GetString().ShouldBe(email);
        me.GetProperty("userName").GetString().ShouldBe(userName);
        me.GetProperty("roles").Strings().ShouldBe(["user"]);
        me.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();

        // The prompt: a chat titled after it, the prompt posted into it, then the chat polled until the model is there.
        var asked = await RunAsync("prompt => webApp.ask(prompt)", prompt);
        var created = await ShouldSucceedAsync(asked.GetProperty("created"));
        created.GetProperty("title").GetString().ShouldBe("A small red wooden boat with a...");
        var chatId = created.GetProperty("id").GetGuid();
        await ShouldSucceedAsync(asked.GetProperty("posted"));
        var waited = await RunAsync("chatId => webApp.waitForAnswer(chatId, 250, 60000)", chatId.ToString());
        var chat = await ShouldSucceedAsync(waited.GetProperty("chat"));
        chat.GetProperty("id").GetGuid().ShouldBe(chatId);
        var messages = chat.GetProperty("messages").EnumerateArray().ToArray();
        messages.Length.ShouldBe(2, chat.GetRawText());
        messages[0].GetProperty("role").GetString().ShouldBe("user");
        messages[0].GetProperty("content").GetString().ShouldBe(prompt);
        messages[0].GetProperty("type").GetString().ShouldBe("text");
        messages[0].TryGetProperty("modelData", out _).ShouldBeFalse();
        var answer = messages[1];
        answer.GetProperty("role").GetString().ShouldBe("assistant", chat.GetRawText());
        answer.GetProperty("type").GetString().ShouldBe("3d-model", chat.GetRawText());
        answer.GetProperty("content").GetString().ShouldBe($"Your model is ready: {prompt}");
        answer.GetProperty("timestamp").GetDateTime().ShouldBeGreaterThanOrEqualTo(messages[0].GetProperty("timestamp").GetDateTime());
        var model = answer.GetProperty("modelData");
        model.PropertyNames().ShouldBe(["glbUrl", "modelId", "mtlUrl", "objUrl", "plyUrl"]);
        model.GetProperty("modelId").GetGuid().ShouldNotBe(Guid.Empty);
        foreach (var url in ModelUrls)
        {
            model.GetProperty(url).GetString().ShouldStartWith($"{_serviceUrl}/assets/");
        }

        // What three.js' GLTFLoader does with glbUrl: a cross-origin fetch from the page, without a token.
        var glb = await RunAsync("url => webApp.fetchModel(url)", model.GetProperty("glbUrl").GetString()!);
        glb.GetProperty("status").GetInt32().ShouldBe(200, glb.GetRawText());
        glb.GetProperty("magic").GetString().ShouldBe("glTF");
        glb.GetProperty("declaredLength").GetInt32().ShouldBe(glb.GetProperty("length").GetInt32());

        // Pinning: the pinned chat leads the list, ahead of a newer one.
        var newer = await ShouldSucceedAsync(await RequestAsync("POST", "/chats", new { title = "A lighthouse on a rock..." }));
        await ShouldSucceedAsync(await RequestAsync("PATCH", $"/chats/{chatId}", new { isPinned = true }));
        var list = await ShouldSucceedAsync(await RequestAsync("GET", "/chats"));
        list.ValueKind.ShouldBe(JsonValueKind.Array);
        list.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ShouldBe([chatId, newer.GetProperty("id").GetGuid()]);
        var pinned = list[0];
        pinned.GetProperty("title").GetString().ShouldBe("A small red wooden boat with a...");
        pinned.GetProperty("isPinned").GetBoolean().ShouldBeTrue();
        pinned.GetProperty("messageCount").GetInt32().ShouldBe(2);
        pinned.GetProperty("preview").GetString().ShouldBe($"Your model is ready: {prompt}"[..50]);
        pinned.GetProperty("updatedAt").GetDateTime().ShouldBeGreaterThanOrEqualTo(pinned.GetProperty("createdAt").GetDateTime());
        list[1].GetProperty("isPinned").GetBoolean().ShouldBeFalse();

        // An access token the service no longer takes: a 401, one refresh, the same request again, and new tokens kept.
        var before = await RunAsync("() => webApp.tokens()");
        await RunAsync("() => webApp.breakAccessToken()");
        var callsBefore = (await RunAsync("() => webApp.calls.length")).GetInt32();
        var reread = await ShouldSucceedAsync(await RequestAsync("GET", $"/chats/{chatId}"));
        reread.GetProperty("messages").GetArrayLength().ShouldBe(2);
        (await CallsSinceAsync(callsBefore)).ShouldBe([$"GET /chats/{chatId} 401", "POST /auth/refresh 200", $"GET /chats/{chatId} 200"]);
        var after = await RunAsync("() => webApp.tokens()");
        after.GetProperty("refreshToken").GetString().ShouldNotBe(before.GetProperty("refreshToken").GetString());
        after.GetProperty("accessToken").GetString().ShouldNotBe("not-a-token");

        // Errors the page shows: body.error from a JSON answer.
        await ShouldShowErrorAsync(
            await RequestAsync("POST", $"/chats/{chatId}/messages", new { role = "user", content = "ok" }), 400, "Prompt must be 3 to 1000 characters.");
        await ShouldShowErrorAsync(await RequestAsync("GET", "/admin/stats"), 403, "Admin access required");

        // Signing out ends the session: the refresh token it held no longer refreshes.
        await ShouldSucceedAsync(await RunAsync("() => webApp.logout()"));
        var signedOut = await RunAsync("() => webApp.tokens()");
        signedOut.GetProperty("accessToken").ValueKind.ShouldBe(JsonValueKind.Null);
        signedOut.GetProperty("refreshToken").ValueKind.ShouldBe(JsonValueKind.Null);
        var refused = await RequestAsync("POST", "/auth/refresh", new { refreshToken = after.GetProperty("refreshToken").GetString() });
        refused.GetProperty("status").GetInt32().ShouldBe(401, refused.GetRawText());
        refused.GetProperty("error").GetString().ShouldNotBeNullOrWhiteSpace();
        _console.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task TheAdminPage_FromTheWebAppsOrigin_ShowsTheStatsAndTheUsers()
    {
        var someone = await _service.CreateUserAsync();
        var admin = await _service.CreateUserAsync("admin");

        var login = await ShouldSucceedAsync(await RunAsync("([email, password]) => webApp.login(email, password)", new[] { admin.Email, admin.Password }));
        login.GetProperty("user").GetProperty("roles").Strings().ShouldContain("admin");

        var stats = await ShouldSucceedAsync(await RequestAsync("GET", "/admin/stats"));
        stats.GetProperty("totalUsers").GetInt32().ShouldBe(2);
        stats.GetProperty("activeUsers").GetInt32().ShouldBe(2);
        stats.GetProperty("adminUsers").GetInt32().ShouldBe(1);
        stats.GetProperty("totalChats").GetInt32().ShouldBe(0);
        stats.GetProperty("recentRegistrations").GetInt32().ShouldBe(2);

        var users = (await ShouldSucceedAsync(await RequestAsync("GET", "/admin/users"))).GetProperty("users").EnumerateArray().ToArray();
        users.Select(u => u.GetProperty("email").GetString()).Order(StringComparer.Ordinal).ShouldBe(new[] { someone.Email, admin.Email }.Order(StringComparer.Ordinal));
        foreach (var user in users)
        {
            user.PropertyNames().ShouldBe(UserFields);
            user.GetProperty("_id").GetGuid().ShouldBe(user.GetProperty("email").GetString() == admin.Email ? admin.Id : someone.Id);
            user.GetProperty("isActive").GetBoolean().ShouldBeTrue();
            user.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        }

        users.Single(u => u.GetProperty("email").GetString() == admin.Email).GetProperty("roles").Strings().ShouldContain("admin");
        users.Single(u => u.GetProperty("email").GetString() == someone.Email).GetProperty("roles").Strings().ShouldBe(["user"]);
        _console.ShouldBeEmpty();
    }

    [BrowserFact]
    public async Task TheWebApp_FromAnOriginNotInAllowedOrigins_CannotReadTheServicesAnswers()
    {
        var user = await _service.CreateUserAsync();
        var elsewhere = await OpenWebAppAsync(_origin.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        var refused = await Should.ThrowAsync<PlaywrightException>(() =>
            elsewhere.EvaluateAsync("([email, password]) => webApp.login(email, password)", new[] { user.Email, user.Password }));

        refused.Message.ShouldContain("Failed to fetch");
        _console.ShouldContain(line => line.Contains("has been blocked by CORS policy", StringComparison.Ordinal));
    }

    /// <summary>Runs a function in the page; its result comes back as the page's own JSON text, read here as is.</summary>
    private async Task<JsonElement> RunAsync(string function, object? argument = null) =>
        JsonDocument.Parse(await _page.EvaluateAsync<string?>($"async argument => JSON.stringify(await ({function})(argument)) ?? null", argument) ?? "null").RootElement;

    private Task<JsonElement> RequestAsync(string method, string path, object? body = null) =>
        RunAsync("([method, path, body]) => webApp.request(method, path, body ?? undefined)", new object?[] { method, path, body });

    private async Task<string[]> CallsSinceAsync(int index) =>
        [.. (await RunAsync("index => webApp.calls.slice(index)", index)).EnumerateArray()
            .Select(c => $"{c.GetProperty("method").GetString()} {c.GetProperty("path").GetString()} {c.GetProperty("status").GetInt32()}")];

    /// <summary>A 2xx answer the page parsed as JSON and showed no error for; its body.</summary>
    private async Task<JsonElement> ShouldSucceedAsync(JsonElement answer)
    {
        answer.GetProperty("ok").GetBoolean().ShouldBeTrue($"{answer.GetRawText()} {string.Join("; ", _console)}");
        answer.GetProperty("contentType").GetString().ShouldStartWith("application/json");
        (await _page.EvaluateAsync<string>("() => webApp.shownError()")).ShouldBeEmpty();
        return answer.GetProperty("body");
    }

    /// <summary>An error answer in JSON whose <c>error</c> string the page put in front of the person.</summary>
    private async Task ShouldShowErrorAsync(JsonElement answer, int status, string error)
    {
        answer.GetProperty("status").GetInt32().ShouldBe(status, answer.GetRawText());
        answer.GetProperty("contentType").GetString().ShouldStartWith("application/json");
        answer.GetProperty("error").GetString().ShouldBe(error);
        (await _page.EvaluateAsync<string>("() => webApp.shownError()")).ShouldBe(error);
    }
}
