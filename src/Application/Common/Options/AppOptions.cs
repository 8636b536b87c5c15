namespace CleanBackend.Application.Common.Options;

/// <summary>Where the service and its web app live, for links the service sends out.</summary>
public sealed class AppOptions
{
    public const string SectionName = "App";

    /// <summary>FRONTEND_URL: the web app (links in e-mails).</summary>
    public string FrontendUrl { get; set; } = "http://localhost:3000";

    /// <summary>API_URL: the public base URL of this service (signed asset links, API docs).</summary>
    public string ApiUrl { get; set; } = "http://localhost:8081";
}
