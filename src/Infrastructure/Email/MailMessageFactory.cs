using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace CleanBackend.Infrastructure.Email;

/// <summary>Builds the MIME message both transports send: the plain-text body and an HTML alternative.</summary>
internal static class MailMessageFactory
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static MailMessage Create(EmailMessage email, string from)
    {
        ArgumentNullException.ThrowIfNull(email);
        var message = new MailMessage(new MailAddress(from), new MailAddress(email.To))
        {
            Subject = email.Subject,
            SubjectEncoding = Utf8,
            HeadersEncoding = Utf8,

            // Quoted-printable keeps the mostly-ASCII text readable on the wire and survives 7-bit relays.
            Body = ToCrLf(email.TextBody),
            BodyEncoding = Utf8,
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };

        var html = AlternateView.CreateAlternateViewFromString(ToCrLf(email.HtmlBody), Utf8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);
        return message;
    }

    // SMTP lines end in CRLF; templates and callers may use bare LF.
    private static string ToCrLf(string text) => text.ReplaceLineEndings("\r\n");
}
