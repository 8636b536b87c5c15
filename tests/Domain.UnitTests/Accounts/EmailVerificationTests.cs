using CleanBackend.Domain.Accounts;
using CleanBackend.Domain.Common;

namespace CleanBackend.Domain.UnitTests.Accounts;

public class EmailVerificationTests
{
    private const string Code = "123456";
    private const string WrongCode = "654321";
    private const string NewCode = "777777";
    private const string PasswordHash = "AQAAAAIAAYagAAAAEhashedpassword";

    private static readonly DateTime Registered = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Expires = new(2026, 1, 1, 12, 15, 0, DateTimeKind.Utc);
    private static readonly DateTime Later = new(2026, 1, 1, 12, 5, 0, DateTimeKind.Utc);
    private static readonly DateTime Reissued = new(2026, 1, 1, 12, 20, 0, DateTimeKind.Utc);

    private static EmailVerification NewVerification() =>
        new("ada@example.com", "Ada", PasswordHash, SecretHash.Of(Code), Registered);

    private static EmailVerification Exhausted()
    {
        var verification = NewVerification();
        for (var i = 0; i < EmailVerification.MaxAttempts; i++)
        {
            _ = verification.Verify(WrongCode, Later);
        }

        verification.FailedAttempts.ShouldBe(5);
        return verification;
    }

    [Fact]
    public void Rules_AreFiveAttemptsAndFifteenMinutes()
    {
        EmailVerification.MaxAttempts.ShouldBe(5);
        EmailVerification.Lifetime.ShouldBe(TimeSpan.FromMinutes(15));
    }

    // ---- construction ----

    [Fact]
    public void Constructor_SetsEverythingAndExpiresInFifteenMinutes()
    {
        var codeHash = SecretHash.Of(Code);

        var verification = new EmailVerification("ada@example.com", "Ada", PasswordHash, codeHash, Registered);

        verification.Id.ShouldNotBe(Guid.Empty);
        verification.Id.Version.ShouldBe(7);
        verification.Email.ShouldBe("ada@example.com");
        verification.Name.ShouldBe("Ada");
        verification.PasswordHash.ShouldBe(PasswordHash);
        verification.CodeHash.ShouldBe(codeHash);
        verification.FailedAttempts.ShouldBe(0);
        verification.CreatedAt.ShouldBe(Registered);
        verification.ExpiresAt.ShouldBe(Expires);
        verification.VerifiedAt.ShouldBeNull();
    }

    [Fact]
    public void Constructor_TrimsAndLowerCasesEmail()
    {
        var verification = new EmailVerification("  Ada.Lovelace@Example.COM ", "Ada", PasswordHash, SecretHash.Of(Code), Registered);

        verification.Email.ShouldBe("ada.lovelace@example.com");
    }

    [Fact]
    public void Constructor_TrimsName()
    {
        var verification = new EmailVerification("ada@example.com", "  Ada Lovelace ", PasswordHash, SecretHash.Of(Code), Registered);

        verification.Name.ShouldBe("Ada Lovelace");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenEmailBlank_ThrowsArgumentException(string? email)
    {
        var ex = Should.Throw<ArgumentException>(() => new EmailVerification(email!, "Ada", PasswordHash, SecretHash.Of(Code), Registered));

        ex.ParamName.ShouldBe("email");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenNameBlank_ThrowsArgumentException(string? name)
    {
        var ex = Should.Throw<ArgumentException>(() => new EmailVerification("ada@example.com", name!, PasswordHash, SecretHash.Of(Code), Registered));

        ex.ParamName.ShouldBe("name");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenPasswordHashBlank_ThrowsArgumentException(string? passwordHash)
    {
        var ex = Should.Throw<ArgumentException>(() => new EmailVerification("ada@example.com", "Ada", passwordHash!, SecretHash.Of(Code), Registered));

        ex.ParamName.ShouldBe("passwordHash");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_WhenCodeHashBlank_ThrowsArgumentException(string? codeHash)
    {
        var ex = Should.Throw<ArgumentException>(() => new EmailVerification("ada@example.com", "Ada", PasswordHash, codeHash!, Registered));

        ex.ParamName.ShouldBe("codeHash");
    }

    [Fact]
    public void Constructor_AcceptsFieldsOfMaxLength()
    {
        var email = new string('e', 244) + "@example.com";
        var name = new string('n', 100);
        var passwordHash = new string('p', 1000);
        var codeHash = new string('c', 128);

        var verification = new EmailVerification(email, name, passwordHash, codeHash, Registered);

        verification.Email.ShouldBe(email);
        verification.Email.Length.ShouldBe(256);
        verification.Name.ShouldBe(name);
        verification.PasswordHash.ShouldBe(passwordHash);
        verification.CodeHash.ShouldBe(codeHash);
    }

    [Theory]
    [InlineData(257, 100, 1000, 128, "email")]
    [InlineData(256, 101, 1000, 128, "name")]
    [InlineData(256, 100, 1001, 128, "passwordHash")]
    [InlineData(256, 100, 1000, 129, "codeHash")]
    public void Constructor_WhenFieldTooLong_ThrowsArgumentException(int emailLength, int nameLength, int passwordHashLength, int codeHashLength, string param)
    {
        var ex = Should.Throw<ArgumentException>(() => new EmailVerification(
            new string('e', emailLength), new string('n', nameLength), new string('p', passwordHashLength), new string('c', codeHashLength), Registered));

        ex.ParamName.ShouldBe(param);
    }

    // ---- Verify ----

    [Fact]
    public void Verify_WithRightCode_ReturnsVerifiedAndRecordsTime()
    {
        var verification = NewVerification();

        var outcome = verification.Verify(Code, Later);

        outcome.ShouldBe(VerificationOutcome.Verified);
        verification.VerifiedAt.ShouldBe(Later);
        verification.FailedAttempts.ShouldBe(0);
    }

    [Fact]
    public void Verify_JustBeforeExpiry_ReturnsVerified()
    {
        var verification = NewVerification();
        var lastMoment = Expires - TimeSpan.FromTicks(1);

        verification.Verify(Code, lastMoment).ShouldBe(VerificationOutcome.Verified);
        verification.VerifiedAt.ShouldBe(lastMoment);
    }

    [Fact]
    public void Verify_WithWrongCode_ReturnsWrongCodeAndCountsTheAttempt()
    {
        var verification = NewVerification();

        var outcome = verification.Verify(WrongCode, Later);

        outcome.ShouldBe(VerificationOutcome.WrongCode);
        verification.FailedAttempts.ShouldBe(1);
        verification.VerifiedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" 123456")]
    [InlineData("123456 ")]
    [InlineData("12345")]
    public void Verify_WithCodeThatIsNotExactlyTheCode_ReturnsWrongCode(string? code)
    {
        var verification = NewVerification();

        var outcome = verification.Verify(code!, Later);

        outcome.ShouldBe(VerificationOutcome.WrongCode);
        verification.FailedAttempts.ShouldBe(1);
        verification.VerifiedAt.ShouldBeNull();
    }

    [Theory]
    [InlineData(1, VerificationOutcome.WrongCode)]
    [InlineData(2, VerificationOutcome.WrongCode)]
    [InlineData(3, VerificationOutcome.WrongCode)]
    [InlineData(4, VerificationOutcome.WrongCode)]
    [InlineData(5, VerificationOutcome.TooManyAttempts)]
    public void Verify_WithWrongCode_ReportsTooManyAttemptsOnTheFifthTry(int attempt, VerificationOutcome expected)
    {
        var verification = NewVerification();
        for (var i = 1; i < attempt; i++)
        {
            _ = verification.Verify(WrongCode, Later);
        }

        var outcome = verification.Verify(WrongCode, Later);

        outcome.ShouldBe(expected);
        verification.FailedAttempts.ShouldBe(attempt);
    }

    [Fact]
    public void Verify_WithRightCodeAfterFourWrongTries_ReturnsVerified()
    {
        var verification = NewVerification();
        for (var i = 0; i < EmailVerification.MaxAttempts - 1; i++)
        {
            _ = verification.Verify(WrongCode, Later);
        }

        var outcome = verification.Verify(Code, Later);

        outcome.ShouldBe(VerificationOutcome.Verified);
        verification.FailedAttempts.ShouldBe(4);
        verification.VerifiedAt.ShouldBe(Later);
    }

    [Fact]
    public void Verify_WithRightCodeAfterFiveWrongTries_ReturnsTooManyAttempts()
    {
        var verification = Exhausted();

        var outcome = verification.Verify(Code, Later);

        outcome.ShouldBe(VerificationOutcome.TooManyAttempts);
        verification.VerifiedAt.ShouldBeNull();
        verification.FailedAttempts.ShouldBe(5);
    }

    [Fact]
    public void Verify_AfterExhaustion_StopsCountingAttempts()
    {
        var verification = Exhausted();

        verification.Verify(WrongCode, Later).ShouldBe(VerificationOutcome.TooManyAttempts);

        verification.FailedAttempts.ShouldBe(5);
    }

    [Fact]
    public void Verify_AfterExhaustionAndExpiry_ReportsTooManyAttempts()
    {
        var verification = Exhausted();

        verification.Verify(Code, Expires.AddHours(1)).ShouldBe(VerificationOutcome.TooManyAttempts);
    }

    [Fact]
    public void Verify_AtExpiry_ReturnsExpiredEvenWithRightCode()
    {
        var verification = NewVerification();

        var outcome = verification.Verify(Code, Expires);

        outcome.ShouldBe(VerificationOutcome.Expired);
        verification.VerifiedAt.ShouldBeNull();
        verification.FailedAttempts.ShouldBe(0);
    }

    [Fact]
    public void Verify_AfterExpiry_WithWrongCode_ReturnsExpiredWithoutCountingTheAttempt()
    {
        var verification = NewVerification();

        var outcome = verification.Verify(WrongCode, Expires.AddMinutes(1));

        outcome.ShouldBe(VerificationOutcome.Expired);
        verification.FailedAttempts.ShouldBe(0);
    }

    [Fact]
    public void Verify_WhenAlreadyVerified_RefusesAndKeepsFirstVerification()
    {
        var verification = NewVerification();
        _ = verification.Verify(Code, Later);

        var outcome = verification.Verify(Code, Later.AddMinutes(1));

        outcome.ShouldNotBe(VerificationOutcome.Verified);
        outcome.ShouldBe(VerificationOutcome.TooManyAttempts);
        verification.VerifiedAt.ShouldBe(Later);
        verification.FailedAttempts.ShouldBe(0);
    }

    // ---- Reissue ----

    [Fact]
    public void Reissue_ReplacesDetailsAndCodeAndRestartsTheClock()
    {
        var verification = NewVerification();
        _ = verification.Verify(WrongCode, Later);
        var newCodeHash = SecretHash.Of(NewCode);

        verification.Reissue("  Ada L. ", "new-password-hash", newCodeHash, Reissued);

        verification.Name.ShouldBe("Ada L.");
        verification.PasswordHash.ShouldBe("new-password-hash");
        verification.CodeHash.ShouldBe(newCodeHash);
        verification.FailedAttempts.ShouldBe(0);
        verification.CreatedAt.ShouldBe(Reissued);
        verification.ExpiresAt.ShouldBe(new DateTime(2026, 1, 1, 12, 35, 0, DateTimeKind.Utc));
        verification.VerifiedAt.ShouldBeNull();
        verification.Email.ShouldBe("ada@example.com");
    }

    [Fact]
    public void Reissue_AfterExhaustion_AllowsVerifyingWithTheNewCode()
    {
        var verification = Exhausted();

        verification.Reissue("Ada", PasswordHash, SecretHash.Of(NewCode), Reissued);

        verification.FailedAttempts.ShouldBe(0);
        verification.Verify(NewCode, Reissued.AddMinutes(1)).ShouldBe(VerificationOutcome.Verified);
        verification.VerifiedAt.ShouldBe(Reissued.AddMinutes(1));
    }

    [Fact]
    public void Reissue_AfterExpiry_AllowsVerifyingWithTheNewCode()
    {
        var verification = NewVerification();
        verification.Verify(Code, Expires).ShouldBe(VerificationOutcome.Expired);

        verification.Reissue("Ada", PasswordHash, SecretHash.Of(NewCode), Reissued);

        verification.Verify(NewCode, Reissued.AddMinutes(14)).ShouldBe(VerificationOutcome.Verified);
    }

    [Fact]
    public void Reissue_MakesTheOldCodeWrong()
    {
        var verification = NewVerification();

        verification.Reissue("Ada", PasswordHash, SecretHash.Of(NewCode), Reissued);

        verification.Verify(Code, Reissued.AddMinutes(1)).ShouldBe(VerificationOutcome.WrongCode);
        verification.FailedAttempts.ShouldBe(1);
    }

    [Fact]
    public void Reissue_WhenAlreadyVerified_ThrowsDomainExceptionAndChangesNothing()
    {
        var verification = NewVerification();
        _ = verification.Verify(Code, Later);
        var codeHash = verification.CodeHash;

        var ex = Should.Throw<DomainException>(() => verification.Reissue("Eve", "other-hash", SecretHash.Of(NewCode), Reissued));

        ex.Message.ShouldBe("This registration is already verified.");
        verification.Name.ShouldBe("Ada");
        verification.PasswordHash.ShouldBe(PasswordHash);
        verification.CodeHash.ShouldBe(codeHash);
        verification.CreatedAt.ShouldBe(Registered);
        verification.ExpiresAt.ShouldBe(Expires);
        verification.VerifiedAt.ShouldBe(Later);
    }

    [Fact]
    public void Reissue_WhenNameBlank_ThrowsAndChangesNothing()
    {
        var verification = NewVerification();
        var codeHash = verification.CodeHash;

        var ex = Should.Throw<ArgumentException>(() => verification.Reissue(" ", "other-hash", SecretHash.Of(NewCode), Reissued));

        ex.ParamName.ShouldBe("name");
        verification.Name.ShouldBe("Ada");
        verification.PasswordHash.ShouldBe(PasswordHash);
        verification.CodeHash.ShouldBe(codeHash);
        verification.ExpiresAt.ShouldBe(Expires);
    }

    [Theory]
    [InlineData("Ada", " ", "hash", "passwordHash")]
    [InlineData("Ada", "hash", " ", "codeHash")]
    [InlineData("Ada", "hash", null, "codeHash")]
    public void Reissue_WhenAnyValueBlank_ThrowsArgumentException(string name, string passwordHash, string? codeHash, string param)
    {
        var verification = NewVerification();

        var ex = Should.Throw<ArgumentException>(() => verification.Reissue(name, passwordHash, codeHash!, Reissued));

        ex.ParamName.ShouldBe(param);
        verification.FailedAttempts.ShouldBe(0);
        verification.ExpiresAt.ShouldBe(Expires);
    }

    [Theory]
    [InlineData("", "pw-hash", "code-hash")]
    [InlineData("New Name", "", "code-hash")]
    [InlineData("New Name", "pw-hash", " ")]
    public void Reissue_WithABlankArgument_ThrowsAndChangesNothing(string name, string passwordHash, string codeHash)
    {
        var verification = NewVerification();
        var before = (verification.Name, verification.PasswordHash, verification.CodeHash, verification.ExpiresAt);

        Should.Throw<ArgumentException>(() => verification.Reissue(name, passwordHash, codeHash, Reissued));

        (verification.Name, verification.PasswordHash, verification.CodeHash, verification.ExpiresAt).ShouldBe(before);
    }

    // ---- ReissueCode ----

    [Fact]
    public void ReissueCode_ReplacesTheCodeAndRestartsTheClockButKeepsTheDetails()
    {
        var verification = NewVerification();
        _ = verification.Verify(WrongCode, Later);
        _ = verification.Verify(WrongCode, Later);
        var newCodeHash = SecretHash.Of(NewCode);

        verification.ReissueCode(newCodeHash, Reissued);

        verification.CodeHash.ShouldBe(newCodeHash);
        verification.FailedAttempts.ShouldBe(0);
        verification.CreatedAt.ShouldBe(Reissued);
        verification.ExpiresAt.ShouldBe(new DateTime(2026, 1, 1, 12, 35, 0, DateTimeKind.Utc));
        verification.VerifiedAt.ShouldBeNull();
        verification.Email.ShouldBe("ada@example.com");
        verification.Name.ShouldBe("Ada");
        verification.PasswordHash.ShouldBe(PasswordHash);
    }

    [Fact]
    public void ReissueCode_TheNewCodeVerifies()
    {
        var verification = NewVerification();

        verification.ReissueCode(SecretHash.Of(NewCode), Reissued);

        verification.Verify(NewCode, Reissued.AddMinutes(1)).ShouldBe(VerificationOutcome.Verified);
        verification.VerifiedAt.ShouldBe(Reissued.AddMinutes(1));
    }

    [Fact]
    public void ReissueCode_TheOldCodeIsWrong()
    {
        var verification = NewVerification();

        verification.ReissueCode(SecretHash.Of(NewCode), Reissued);

        verification.Verify(Code, Reissued.AddMinutes(1)).ShouldBe(VerificationOutcome.WrongCode);
        verification.FailedAttempts.ShouldBe(1);
        verification.VerifiedAt.ShouldBeNull();
    }

    [Fact]
    public void ReissueCode_AfterExhaustion_GivesFiveTriesAgain()
    {
        var verification = Exhausted();

        verification.ReissueCode(SecretHash.Of(NewCode), Reissued);

        verification.FailedAttempts.ShouldBe(0);
        for (var i = 1; i < EmailVerification.MaxAttempts; i++)
        {
            verification.Verify(WrongCode, Reissued).ShouldBe(VerificationOutcome.WrongCode);
        }

        verification.Verify(NewCode, Reissued).ShouldBe(VerificationOutcome.Verified);
    }

    [Fact]
    public void ReissueCode_AfterExpiry_TheNewCodeWorksForAFullLifetime()
    {
        var verification = NewVerification();
        verification.Verify(Code, Expires).ShouldBe(VerificationOutcome.Expired);

        verification.ReissueCode(SecretHash.Of(NewCode), Reissued);

        verification.Verify(NewCode, Reissued + EmailVerification.Lifetime).ShouldBe(VerificationOutcome.Expired);
        verification.Verify(NewCode, Reissued + EmailVerification.Lifetime - TimeSpan.FromTicks(1)).ShouldBe(VerificationOutcome.Verified);
    }

    [Fact]
    public void ReissueCode_WhenAlreadyVerified_ThrowsDomainExceptionAndChangesNothing()
    {
        var verification = NewVerification();
        _ = verification.Verify(Code, Later);
        var codeHash = verification.CodeHash;

        var ex = Should.Throw<DomainException>(() => verification.ReissueCode(SecretHash.Of(NewCode), Reissued));

        ex.Message.ShouldBe("This registration is already verified.");
        verification.CodeHash.ShouldBe(codeHash);
        verification.CreatedAt.ShouldBe(Registered);
        verification.ExpiresAt.ShouldBe(Expires);
        verification.VerifiedAt.ShouldBe(Later);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void ReissueCode_WhenCodeHashBlank_ThrowsAndChangesNothing(string? codeHash)
    {
        var verification = NewVerification();
        _ = verification.Verify(WrongCode, Later);
        var before = (verification.CodeHash, verification.FailedAttempts, verification.CreatedAt, verification.ExpiresAt);

        var ex = Should.Throw<ArgumentException>(() => verification.ReissueCode(codeHash!, Reissued));

        ex.ParamName.ShouldBe("codeHash");
        (verification.CodeHash, verification.FailedAttempts, verification.CreatedAt, verification.ExpiresAt).ShouldBe(before);
    }
}
