using CleanBackend.Application.Common.Interfaces;
using CleanBackend.Infrastructure.Email;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

public sealed class EmailTemplatesTests
{
    private readonly EmailTemplates _templates = new();

    [Fact]
    public void Render_VerificationCode_ShowsTheCodeAndItsLifetime()
    {
        var email = _templates.Render(EmailTemplateNames.VerificationCode, "ada@example.com", new Dictionary<string, string>
        {
            ["name"] = "Ada",
            ["code"] = "482913",
            ["minutes"] = "15",
        });

        email.To.ShouldBe("ada@example.com");
        email.Subject.ShouldBe("Your CleanBackend verification code");
        email.TextBody.ShouldStartWith("Hi Ada,");
        email.TextBody.ShouldContain("482913");
        email.TextBody.ShouldContain("expires in 15 minutes");
        email.HtmlBody.ShouldContain("Hi Ada,");
        email.HtmlBody.ShouldContain(">482913<");
        email.HtmlBody.ShouldContain("expires in 15 minutes");
        AllFilledIn(email);
    }

    [Fact]
    public void Render_PasswordReset_ShowsTheLinkItsLifetimeAndThatItWorksOnce()
    {
        const string link = "https://app.example/reset-password?token=a1b2&email=ada%40example.com";

        var email = _templates.Render(EmailTemplateNames.PasswordReset, "ada@example.com", new Dictionary<string, string>
        {
            ["name"] = "Ada",
            ["link"] = link,
            ["minutes"] = "30",
        });

        email.Subject.ShouldBe("Reset your CleanBackend password");
        email.TextBody.ShouldContain(link);
        email.TextBody.ShouldContain("valid for 30 minutes and can be used once");
        email.HtmlBody.ShouldContain("href=\"https://app.example/reset-password?token=a1b2&amp;email=ada%40example.com\"");
        email.HtmlBody.ShouldContain("valid for 30 minutes and can be used once");
        email.HtmlBody.ShouldNotContain("token=a1b2&email");
        AllFilledIn(email);
    }

    [Fact]
    public void Render_HtmlEncodesValuesInTheHtmlBodyOnly()
    {
        var email = _templates.Render(EmailTemplateNames.VerificationCode, "ada@example.com", new Dictionary<string, string>
        {
            ["name"] = "<b>Ada</b> & \"Bob\"",
            ["code"] = "482913",
            ["minutes"] = "15",
        });

        email.HtmlBody.ShouldContain("Hi &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Bob&quot;,");
        email.HtmlBody.ShouldNotContain("<b>Ada</b>");
        email.TextBody.ShouldContain("Hi <b>Ada</b> & \"Bob\",");
    }

    [Fact]
    public void Render_UnknownTemplate_ThrowsNamingIt()
    {
        var ex = Should.Throw<InvalidOperationException>(() =>
            _templates.Render("welcome-back", "ada@example.com", new Dictionary<string, string>()));

        ex.Message.ShouldContain("'welcome-back'");
    }

    [Fact]
    public void Render_MissingValue_ThrowsNamingTheValueAndTheTemplate()
    {
        var ex = Should.Throw<InvalidOperationException>(() =>
            _templates.Render(EmailTemplateNames.PasswordReset, "ada@example.com", new Dictionary<string, string>
            {
                ["name"] = "Ada",
                ["minutes"] = "30",
            }));

        ex.Message.ShouldBe("The e-mail template 'password-reset' needs the value(s) link.");
    }

    private static void AllFilledIn(EmailMessage email)
    {
        email.Subject.ShouldNotContain("{{");
        email.TextBody.ShouldNotContain("{{");
        email.HtmlBody.ShouldNotContain("{{");
    }
}
