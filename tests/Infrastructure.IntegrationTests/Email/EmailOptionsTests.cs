using CleanBackend.Infrastructure.Email;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CleanBackend.Infrastructure.IntegrationTests.Email;

public sealed class EmailOptionsTests
{
    private readonly EmailOptionsValidator _validator = new();

    [Fact]
    public void Defaults_AreValidAndWriteToThePickupFolder()
    {
        var options = new EmailOptions();

        _validator.Validate(null, options).Succeeded.ShouldBeTrue();
        options.UsesSmtp.ShouldBeFalse();
        options.SmtpPort.ShouldBe(587);
        options.From.ShouldBe("CleanBackend <no-reply@cleanbackend.local>");
        options.PickupDirectory.ShouldBe("data/mail");
        options.MaxAttempts.ShouldBe(4);
        options.Security.ShouldBe(EmailSecurity.Auto);
        options.CertificateThumbprint.ShouldBeNull();
        options.TimeoutSeconds.ShouldBe(60);
    }

    [Theory]
    [InlineData("StartTls", EmailSecurity.StartTls)]
    [InlineData("sslonconnect", EmailSecurity.SslOnConnect)]
    [InlineData("None", EmailSecurity.None)]
    [InlineData("StartTlsWhenAvailable", EmailSecurity.StartTlsWhenAvailable)]
    public void Security_BindsFromItsNameInAnyCase(string value, EmailSecurity expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Email:Security"] = value }).Build();
        using var provider = new ServiceCollection().AddLogging().AddEmail(configuration).BuildServiceProvider();

        provider.GetRequiredService<IOptions<EmailOptions>>().Value.Security.ShouldBe(expected);
    }

    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01", "ABCDEF0123456789ABCDEF0123456789ABCDEF01")]
    [InlineData(" 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("", null)]
    public void PinnedThumbprint_IsUpperCaseHexWithoutSeparators(string thumbprint, string? expected)
    {
        var options = new EmailOptions { CertificateThumbprint = thumbprint };

        options.PinnedThumbprint.ShouldBe(expected);
        _validator.Validate(null, options).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("ABCDEF")]
    [InlineData("XX:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01")]
    public void Validate_ThumbprintThatIsNoFingerprint_NamesTheSetting(string thumbprint)
    {
        var result = _validator.Validate(null, new EmailOptions { CertificateThumbprint = thumbprint });

        result.Failures!.ShouldHaveSingleItem().ShouldBe($"Email:CertificateThumbprint: '{thumbprint}' is not a SHA-256 or SHA-1 fingerprint (64 or 40 hex digits).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(601)]
    public void Validate_TimeoutOutOfRange_NamesTheSetting(int seconds)
    {
        var result = _validator.Validate(null, new EmailOptions { TimeoutSeconds = seconds });

        result.Failures!.ShouldHaveSingleItem().ShouldBe($"Email:TimeoutSeconds: {seconds} is not between 1 and 600.");
    }

    [Theory]
    [InlineData(70000)]
    [InlineData(0)]
    public void Validate_PortOutsideTcpRange_NamesSmtpPort(int port)
    {
        var result = _validator.Validate(null, new EmailOptions { SmtpHost = "smtp.example.com", SmtpPort = port });

        result.Failures!.ShouldHaveSingleItem().ShouldBe($"SMTP_PORT: {port} is not a TCP port (1-65535).");
    }

    [Fact]
    public void Validate_FromThatIsNoAddress_NamesEmailFrom()
    {
        var result = _validator.Validate(null, new EmailOptions { From = "x" });

        result.Failures!.ShouldHaveSingleItem().ShouldBe("EMAIL_FROM: 'x' is not an e-mail address.");
    }

    [Theory]
    [InlineData("smtp example com")]
    [InlineData("smtp://smtp.example.com")]
    public void Validate_HostThatIsNoHostName_NamesSmtpHost(string host)
    {
        var result = _validator.Validate(null, new EmailOptions { SmtpHost = host });

        result.Failures!.ShouldHaveSingleItem().ShouldBe($"SMTP_HOST: '{host}' is not a host name or IP address.");
    }

    [Theory]
    [InlineData("smtp.example.com")]
    [InlineData("mail_relay")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Validate_HostNamesAndAddresses_AreAccepted(string host)
    {
        _validator.Validate(null, new EmailOptions { SmtpHost = host }).Succeeded.ShouldBeTrue();
    }

    [Fact]
    public void Validate_UserWithoutPassword_NamesEmailPass()
    {
        var result = _validator.Validate(null, new EmailOptions { SmtpHost = "smtp.example.com", User = "mailer" });

        result.Failures!.ShouldHaveSingleItem().ShouldBe("EMAIL_PASS: is required when EMAIL_USER is set.");
    }

    [Fact]
    public void Validate_NoTries_NamesTheSetting()
    {
        var result = _validator.Validate(null, new EmailOptions { MaxAttempts = 0 });

        result.Failures!.ShouldHaveSingleItem().ShouldBe("Email:MaxAttempts: 0 is not between 1 and 20.");
    }

    [Fact]
    public void AddEmail_WithBadSettings_FailsWithEveryMessage()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Email:SmtpHost"] = "smtp.example.com",
            ["Email:SmtpPort"] = "70000",
            ["Email:From"] = "x",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddEmail(configuration).BuildServiceProvider();

        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailOptions>>().Value);

        ex.Failures.ShouldBe(["SMTP_PORT: 70000 is not a TCP port (1-65535).", "EMAIL_FROM: 'x' is not an e-mail address."]);
    }
}
