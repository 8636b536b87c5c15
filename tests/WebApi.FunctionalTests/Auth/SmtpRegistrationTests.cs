using System.Net;
using System.Net.Http.Json;
using CleanBackend.Infrastructure.IntegrationTests.Email;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Auth;

/// <summary>Registration over a real SMTP conversation with a server listening on loopback.</summary>
public sealed class SmtpRegistrationTests : IAsyncLifetime
{
    private readonly SmtpSink _smtp = new();
    private CleanBackendFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = CleanBackendFactory.With(new Dictionary<string, string?>
        {
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:From"] = "CleanBackend <no-reply@cleanbackend.test>",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task Register_SendsTheCodeOverSmtp_AndTheCodeVerifiesTheAccount()
    {
        var email = AuthFlow.NewEmail();
        var client = _factory.CreateClient();

        (await client.PostAsJsonAsync("/api/auth/register", new { email, password = "Secret123", name = "Grace Hopper" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = await _smtp.NextMessageAsync();

        message.MailFrom.ShouldBe("no-reply@cleanbackend.test");
        message.Recipients.ShouldBe([email]);
        var text = Mailbox.Text(message.Mime);
        text.ShouldContain("Subject: Your CleanBackend verification code");
        text.ShouldContain("Hi Grace Hopper,");
        message.Mime.Find("text/html")!.DecodedBody.ShouldContain("Grace Hopper");
        var code = Mailbox.CodeIn(text);

        var verified = await (await client.PostAsJsonAsync("/api/auth/register/verify", new { email, code })).ReadJsonAsync(HttpStatusCode.Created);
        verified.GetProperty("user").GetProperty("email").GetString().ShouldBe(email);
        Directory.Exists(Path.Combine(_factory.Root, "mail")).ShouldBeFalse();
    }
}
