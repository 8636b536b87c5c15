using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

/// <summary>The whole path as the service wires it: AddEmail, IEmailSender, the queue and the hosted delivery service.</summary>
public sealed class EmailDeliveryTests : IAsyncLifetime
{
    private readonly SmtpSink _sink = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly string _pickupFolder = Path.Combine(Path.GetTempPath(), "cleanbackend-mail-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public async Task DisposeAsync()
    {
        await _sink.DisposeAsync();
        if (Directory.Exists(_pickupFolder))
        {
            Directory.Delete(_pickupFolder, recursive: true);
        }
    }

    [Fact]
    public async Task QueuedEmail_IsDeliveredInTheBackgroundThroughSmtp()
    {
        await using var provider = Services(smtp: true);
        var delivery = DeliveryService(provider);
        await delivery.StartAsync(CancellationToken.None);

        await provider.GetRequiredService<IEmailSender>().SendAsync(VerificationEmail(provider, "ada@example.com", "482913"), CancellationToken.None);

        var received = await _sink.NextMessageAsync();
        received.Recipients.ShouldBe(["ada@example.com"]);
        received.Mime.Header("Subject").ShouldBe("Your CleanBackend verification code");
        received.Mime.Find("text/plain")!.DecodedBody.ShouldContain("482913");
        received.Mime.Find("text/html")!.DecodedBody.ShouldContain("482913");
        await delivery.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stop_DeliversWhatIsStillQueued()
    {
        await using var provider = Services(smtp: true);
        var sender = provider.GetRequiredService<IEmailSender>();
        foreach (var to in new[] { "a@example.com", "b@example.com", "c@example.com" })
        {
            await sender.SendAsync(VerificationEmail(provider, to, "111111"), CancellationToken.None);
        }

        var delivery = DeliveryService(provider);
        await delivery.StartAsync(CancellationToken.None);
        await delivery.StopAsync(CancellationToken.None);

        _sink.Messages.SelectMany(m => m.Recipients).ShouldBe(["a@example.com", "b@example.com", "c@example.com"]);
    }

    [Fact]
    public async Task FailedEmail_IsLoggedByRecipientWithoutItsBodyAndTheNextOneIsDelivered()
    {
        _sink.RejectRecipient = to => to == "nobody@example.com";
        await using var provider = Services(smtp: true);
        var delivery = DeliveryService(provider);
        await delivery.StartAsync(CancellationToken.None);
        var sender = provider.GetRequiredService<IEmailSender>();

        await sender.SendAsync(VerificationEmail(provider, "nobody@example.com", "905112"), CancellationToken.None);
        await sender.SendAsync(VerificationEmail(provider, "ada@example.com", "482913"), CancellationToken.None);

        // One at a time: once the second arrived, the first one's failure has been logged.
        (await _sink.NextMessageAsync()).Recipients.ShouldBe(["ada@example.com"]);
        await delivery.StopAsync(CancellationToken.None);
        _sink.MailCommands.ShouldBe(2);
        var error = _logs.Entries.Where(e => e.Level == LogLevel.Error).ShouldHaveSingleItem();
        error.Message.ShouldBe("The e-mail to nobody@example.com could not be delivered and was dropped");
        _logs.Entries.ShouldAllBe(e => !e.FullText.Contains("905112") && !e.FullText.Contains("482913"));
    }

    [Fact]
    public async Task WithoutSmtpHost_QueuedEmailIsWrittenToThePickupFolder()
    {
        await using var provider = Services(smtp: false);
        provider.GetRequiredService<IEmailTransport>().ShouldBeOfType<PickupFolderEmailTransport>();
        var delivery = DeliveryService(provider);
        await delivery.StartAsync(CancellationToken.None);

        await provider.GetRequiredService<IEmailSender>().SendAsync(VerificationEmail(provider, "ada@example.com", "482913"), CancellationToken.None);
        await delivery.StopAsync(CancellationToken.None);

        var file = Directory.GetFiles(_pickupFolder, "*.eml").ShouldHaveSingleItem();
        MimePart.Parse(await File.ReadAllTextAsync(file)).Find("text/plain")!.DecodedBody.ShouldContain("482913");
        _logs.Entries.ShouldContain(e => e.Message == $"E-mails are written to {_pickupFolder} (no SMTP_HOST set)");
        _sink.MailCommands.ShouldBe(0);
    }

    private ServiceProvider Services(bool smtp)
    {
        var settings = new Dictionary<string, string?> { ["Email:PickupDirectory"] = _pickupFolder };
        if (smtp)
        {
            settings["Email:SmtpHost"] = "127.0.0.1";
            settings["Email:SmtpPort"] = _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddEmail(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static EmailDeliveryService DeliveryService(IServiceProvider provider) =>
        provider.GetServices<IHostedService>().OfType<EmailDeliveryService>().ShouldHaveSingleItem();

    private static EmailMessage VerificationEmail(IServiceProvider provider, string to, string code) =>
        provider.GetRequiredService<IEmailTemplates>().Render(EmailTemplateNames.VerificationCode, to, new Dictionary<string, string>
        {
            ["name"] = "Ada",
            ["code"] = code,
            ["minutes"] = "15",
        });
}
