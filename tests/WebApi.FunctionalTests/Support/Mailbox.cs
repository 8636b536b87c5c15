using System.Text.RegularExpressions;
using CleanBackend.Infrastructure.IntegrationTests.Email;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>The service's pickup folder read as a mailbox: the plain-text bodies of the e-mails it sent.</summary>
public sealed partial class Mailbox(string folder)
{
    /// <summary>Waits for the next e-mail to <paramref name="to"/> beyond those already seen (delivery runs in the background).</summary>
    public async Task<string> WaitForMessageAsync(string to, int alreadySeen = 0)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var messages = MessagesTo(to);
            if (messages.Count > alreadySeen)
            {
                return messages[alreadySeen];
            }

            await Task.Delay(50, patience.Token);
        }
    }

    /// <summary>Subject line and plain-text body of each e-mail to the address, oldest first.</summary>
    public IReadOnlyList<string> MessagesTo(string to)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. new DirectoryInfo(folder).GetFiles("*.eml")
            .OrderBy(f => f.CreationTimeUtc).ThenBy(f => f.LastWriteTimeUtc)
            .Select(f => MimePart.Parse(File.ReadAllText(f.FullName)))
            .Where(m => string.Equals(m.Header("To")?.Trim(), to, StringComparison.OrdinalIgnoreCase))
            .Select(Text)];
    }

    public static string Text(MimePart message) =>
        $"Subject: {message.Header("Subject")}\n\n{(message.Find("text/plain") ?? message).DecodedBody}";

    public async Task<string> WaitForVerificationCodeAsync(string to, int alreadySeen = 0) =>
        CodeIn(await WaitForMessageAsync(to, alreadySeen));

    public static string CodeIn(string text)
    {
        var match = VerificationCode().Match(text);
        match.Success.ShouldBeTrue("no verification code in the e-mail");
        return match.Groups[1].Value;
    }

    public async Task<string> WaitForResetTokenAsync(string to, int alreadySeen = 0)
    {
        var match = ResetLink().Match(await WaitForMessageAsync(to, alreadySeen));
        match.Success.ShouldBeTrue("no reset link in the e-mail");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    [GeneratedRegex(@"enter this code:\s+(\d{6})")]
    private static partial Regex VerificationCode();

    [GeneratedRegex(@"reset-password\?token=([A-Za-z0-9%_\-\.~]+)")]
    private static partial Regex ResetLink();
}
