using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>The service's pickup folder read as a mailbox: the e-mails it sent, decoded.</summary>
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

    public IReadOnlyList<string> MessagesTo(string to)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. new DirectoryInfo(folder).GetFiles("*.eml")
            .OrderBy(f => f.CreationTimeUtc).ThenBy(f => f.LastWriteTimeUtc)
            .Select(f => Decode(File.ReadAllText(f.FullName)))
            .Where(m => m.Contains($"To: {to}", StringComparison.OrdinalIgnoreCase))];
    }

    public async Task<string> WaitForVerificationCodeAsync(string to, int alreadySeen = 0) =>
        VerificationCode().Match(await WaitForMessageAsync(to, alreadySeen)).Groups[1].Value;

    public async Task<string> WaitForResetTokenAsync(string to, int alreadySeen = 0)
    {
        var match = ResetLink().Match(await WaitForMessageAsync(to, alreadySeen));
        match.Success.ShouldBeTrue("no reset link in the e-mail");
        return Uri.UnescapeDataString(match.Groups[1].Value);
    }

    /// <summary>Undoes quoted-printable: soft line breaks and =XX escapes.</summary>
    public static string Decode(string raw)
    {
        var text = raw.Replace("=\r\n", string.Empty, StringComparison.Ordinal).Replace("=\n", string.Empty, StringComparison.Ordinal);
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"enter this code:\s+(\d{6})")]
    private static partial Regex VerificationCode();

    [GeneratedRegex(@"reset-password\?token=([A-Za-z0-9%_\-\.~]+)")]
    private static partial Regex ResetLink();
}
