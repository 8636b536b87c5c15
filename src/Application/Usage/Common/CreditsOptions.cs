using CleanBackend.Domain.Accounts;

namespace CleanBackend.Application.Usage.Common;

/// <summary>What jobs cost and what each role's plan allows (section Credits).</summary>
public sealed class CreditsOptions
{
    public const string SectionName = "Credits";

    /// <summary>Jobs on the built-in generator (no MODEL_SERVER_URL) cost nothing.</summary>
    public bool BuiltInGeneratorIsFree { get; set; } = true;

    public CreditCosts Costs { get; set; } = new();

    public CreditPlans Plans { get; set; } = new();

    /// <summary>Set at startup from ModelServer:Url, not read from this section.</summary>
    public bool GeneratorIsBuiltIn { get; set; }

    /// <summary>Set at startup from RateLimiting:Enabled (RATE_LIMIT_ENABLED): off lifts the limits and the active-job cap, not the credits.</summary>
    public bool LimitsEnabled { get; set; } = true;
}

/// <summary>Credits per job: by quality, plus each format after the first.</summary>
public sealed class CreditCosts
{
    public int Draft { get; set; } = 1;

    public int Standard { get; set; } = 2;

    public int ExtraFormat { get; set; } = 1;
}

/// <summary>The plan of each role; a user with several roles gets the most generous value of each.</summary>
public sealed class CreditPlans
{
    public CreditPlan User { get; set; } = new() { MonthlyGrant = 100, MaxActiveJobs = 3, GenerationsPerHour = 10, CreatesPer15Minutes = 30 };

    public CreditPlan Moderator { get; set; } = new() { MonthlyGrant = 100, MaxActiveJobs = 3, GenerationsPerHour = 10, CreatesPer15Minutes = 30 };

    public CreditPlan Admin { get; set; } = new() { MonthlyGrant = 1000, MaxActiveJobs = 10, GenerationsPerHour = 10, CreatesPer15Minutes = 30 };

    /// <summary>The plan of a user with <paramref name="roles"/>, named after the most generous role; everyone has at least the user plan.</summary>
    public CreditPlan For(IEnumerable<string> roles)
    {
        var held = new HashSet<string>(roles, StringComparer.OrdinalIgnoreCase);
        var plans = new List<(string Name, CreditPlan Plan)> { (Roles.User, User) };
        if (held.Contains(Roles.Moderator))
        {
            plans.Add((Roles.Moderator, Moderator));
        }

        if (held.Contains(Roles.Admin))
        {
            plans.Add((Roles.Admin, Admin));
        }

        return new CreditPlan
        {
            Name = plans.MaxBy(p => p.Plan.MonthlyGrant).Name,
            MonthlyGrant = plans.Max(p => p.Plan.MonthlyGrant),
            MaxActiveJobs = plans.Max(p => p.Plan.MaxActiveJobs),
            GenerationsPerHour = plans.Max(p => p.Plan.GenerationsPerHour),
            CreatesPer15Minutes = plans.Max(p => p.Plan.CreatesPer15Minutes),
        };
    }
}

public sealed class CreditPlan
{
    /// <summary>The role the plan belongs to (set when plans are combined).</summary>
    public string Name { get; set; } = Roles.User;

    /// <summary>Credits added once per calendar month (UTC), when the balance is first needed that month.</summary>
    public int MonthlyGrant { get; set; }

    /// <summary>Queued and running jobs at once.</summary>
    public int MaxActiveJobs { get; set; }

    /// <summary>Jobs created per clock hour (POST /api/generate, POST /api/jobs).</summary>
    public int GenerationsPerHour { get; set; }

    /// <summary>Chats, messages, uploads and jobs created per quarter hour.</summary>
    public int CreatesPer15Minutes { get; set; }
}
