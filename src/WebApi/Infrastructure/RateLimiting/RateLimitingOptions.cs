namespace CleanBackend.WebApi.Infrastructure.RateLimiting;

/// <summary>Rate limits (section RateLimiting; RATE_LIMIT_ENABLED=false switches them all off).</summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Logins and refreshes per client address (the seed: 10 an hour).</summary>
    public WindowLimit Login { get; set; } = new(10, 3600);

    /// <summary>Registrations, verifications and reset requests per e-mail address (the seed: 5 an hour).</summary>
    public WindowLimit AccountByEmail { get; set; } = new(5, 3600);

    /// <summary>Registrations, verifications and resets per client address.</summary>
    public WindowLimit AccountByIp { get; set; } = new(20, 3600);

    /// <summary>Every request, per signed-in user or else per client address.</summary>
    public WindowLimit General { get; set; } = new(300, 60);
}

/// <summary>At most <see cref="PermitLimit"/> requests in each window of <see cref="WindowSeconds"/>.</summary>
public sealed class WindowLimit
{
    public WindowLimit()
    {
    }

    public WindowLimit(int permitLimit, int windowSeconds)
    {
        PermitLimit = permitLimit;
        WindowSeconds = windowSeconds;
    }

    public int PermitLimit { get; set; }

    public int WindowSeconds { get; set; }
}

public static class RateLimitPolicies
{
    public const string Login = "login";
    public const string AccountByIp = "account-by-ip";
}

/// <summary>Marks an endpoint whose JSON body's <c>email</c> is also rate limited, whatever address sends it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RateLimitByEmailAttribute : Attribute;
