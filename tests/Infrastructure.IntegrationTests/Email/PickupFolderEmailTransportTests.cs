using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Email;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

public sealed class PickupFolderEmailTransportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cleanbackend-mail-" + Guid.NewGuid().ToString("N"), "mail");
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_folder)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Send_WritesOneEmlFileWithBothBodiesIntoTheCreatedFolder()
    {
        var transport = Transport();

        await transport.SendAsync(
            new EmailMessage("ada@example.com", "Reset your CleanBackend password", "Your code is 739104.", "<p>Your code is <b>739104</b>.</p>"),
            CancellationToken.None);

        var file = Directory.GetFiles(_folder, "*.eml").ShouldHaveSingleItem();
        var mime = MimePart.Parse(await File.ReadAllTextAsync(file));
        mime.Header("To").ShouldBe("ada@example.com");
        mime.Header("From")!.ShouldContain("<no-reply@cleanbackend.local>");
        mime.Header("Subject").ShouldBe("Reset your CleanBackend password");
        mime.Find("text/plain")!.DecodedBody.ShouldContain("Your code is 739104.");
        mime.Find("text/html")!.DecodedBody.ShouldContain("<b>739104</b>");
    }

    [Fact]
    public async Task Send_LogsTheFolderOnceAndEachRecipientButNeverTheBody()
    {
        var transport = Transport();

        await transport.SendAsync(new EmailMessage("ada@example.com", "s", "code 739104", "<p>code 739104</p>"), CancellationToken.None);
        await transport.SendAsync(new EmailMessage("bob@example.com", "s", "code 739104", "<p>code 739104</p>"), CancellationToken.None);

        var messages = _logs.Entries.Where(e => e.Level == LogLevel.Information).Select(e => e.Message).ToList();
        messages.ShouldBe(
        [
            $"E-mails are written to {_folder} (no SMTP_HOST set)",
            "E-mail to ada@example.com written to the pickup folder",
            "E-mail to bob@example.com written to the pickup folder",
        ]);
        _logs.Entries.ShouldAllBe(e => !e.FullText.Contains("739104"));
        Directory.GetFiles(_folder, "*.eml").Length.ShouldBe(2);
    }

    private PickupFolderEmailTransport Transport() => new(
        Options.Create(new EmailOptions { PickupDirectory = _folder }),
        new LoggerFactory([_logs]).CreateLogger<PickupFolderEmailTransport>());
}
