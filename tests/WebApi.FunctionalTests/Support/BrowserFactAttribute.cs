namespace CleanBackend.WebApi.FunctionalTests.Support;

/// <summary>Debian's chromium (apt-get install chromium), the browser Playwright drives here.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    /// <summary>Under CI (CI=true) a missing browser fails the test instead of skipping it, so a lost install step shows.</summary>
    public static string? SkipReason =>
        IsInstalled || Environment.GetEnvironmentVariable("CI") == "true"
            ? null
            : $"The browser tests need Debian's chromium at {ExecutablePath} (apt-get install chromium).";
}

/// <summary>A test in a real browser: skipped, with the reason, when chromium is not installed (outside CI).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = Chromium.SkipReason;
    }
}
