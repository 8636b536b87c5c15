using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;

namespace CleanBackend.Infrastructure.Email;

/// <summary>
/// The e-mail templates embedded in this assembly under Email/Templates: <c>{name}.txt</c> (first line
/// <c>Subject: ...</c>, a blank line, then the plain-text body) and <c>{name}.html</c>. Placeholders are
/// <c>{{value}}</c>; values go into the HTML body HTML-encoded and into the subject and text body as they are.
/// </summary>
internal sealed partial class EmailTemplates : IEmailTemplates
{
    private const string SubjectPrefix = "Subject:";

    private static readonly Lazy<IReadOnlyDictionary<string, Template>> All = new(Load);

    public EmailMessage Render(string template, string to, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!All.Value.TryGetValue(template, out var found))
        {
            throw new InvalidOperationException($"There is no e-mail template '{template}' (known: {string.Join(", ", All.Value.Keys.Order(StringComparer.Ordinal))}).");
        }

        var missing = found.Placeholders.Where(p => !values.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The e-mail template '{template}' needs the value(s) {string.Join(", ", missing)}.");
        }

        return new EmailMessage(
            to,
            Fill(found.Subject, values, html: false),
            Fill(found.Text, values, html: false),
            Fill(found.Html, values, html: true));
    }

    private static string Fill(string text, IReadOnlyDictionary<string, string> values, bool html) =>
        Placeholder().Replace(text, m =>
        {
            var value = values[m.Groups[1].Value];
            return html ? WebUtility.HtmlEncode(value) : value;
        });

    private static Dictionary<string, Template> Load()
    {
        // Resource names are "<namespace>.Templates.<file>", e.g. CleanBackend.Infrastructure.Email.Templates.password-reset.txt.
        var assembly = typeof(EmailTemplates).Assembly;
        var prefix = typeof(EmailTemplates).Namespace + ".Templates.";
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(n => n[prefix.Length..], n => Read(assembly, n), StringComparer.Ordinal);

        var templates = new Dictionary<string, Template>(StringComparer.Ordinal);
        foreach (var name in files.Keys.Select(Path.GetFileNameWithoutExtension).Distinct(StringComparer.Ordinal))
        {
            if (!files.TryGetValue(name + ".txt", out var text) || !files.TryGetValue(name + ".html", out var html))
            {
                throw new InvalidOperationException($"The e-mail template '{name}' needs both {name}.txt and {name}.html.");
            }

            templates[name!] = Parse(name!, text, html);
        }

        return templates;
    }

    private static Template Parse(string name, string text, string html)
    {
        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstLineEnd < 0 || !text.StartsWith(SubjectPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The first line of the e-mail template '{name}.txt' must be 'Subject: ...'.");
        }

        var subject = text[SubjectPrefix.Length..firstLineEnd].Trim();
        var body = text[(firstLineEnd + 1)..].TrimStart('\n');
        var placeholders = new[] { subject, body, html }
            .SelectMany(t => Placeholder().Matches(t).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new Template(subject, body, html, placeholders);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);

        // Line ends are normalised here; the MIME message gets CRLF when it is built.
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private sealed record Template(string Subject, string Text, string Html, IReadOnlyList<string> Placeholders);
}
