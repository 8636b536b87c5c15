namespace CleanBackend.Domain.Accounts;

public enum VerificationOutcome
{
    Verified,
    WrongCode,
    Expired,
    TooManyAttempts,
}
