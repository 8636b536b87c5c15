using System.Text;
using MimeKit;
using MimeKit.Text;

namespace CleanBackend.Infrastructure.Email;

/// <summary>Builds the MIME message both transports send: the plain-text body and an HTML alternative.</summary>
internal static class MimeMessageFactory
{
    public static MimeMessage Create(EmailMessage email, string from)
    {
        ArgumentNullException.ThrowIfNull(email);
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Body = new MultipartAlternative { Part(TextFormat.Plain, email.TextBody), Part(TextFormat.Html, email.HtmlBody) },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(email.To));
        return message;
    }

    private static TextPart Part(TextFormat format, string text)
    {
        // Quoted-printable keeps the mostly-ASCII text readable on the wire and survives 7-bit relays; writing the
        // message turns every line end into CRLF (SMTP) or the chosen one (.eml files).
        var part = new TextPart(format) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, text);
        return part;
    }
}
