using System.Text.Json;
using CleanBackend.Application.Common.Options;
using CleanBackend.Domain.Jobs;
using Microsoft.Extensions.Options;

namespace CleanBackend.Application.Jobs.Common;

/// <summary>E-mails the owner of a finished job, when their settings ask for it (<c>emailOnJobComplete: true</c>).</summary>
public sealed class JobNotifications(IIdentityService identity, IEmailSender email, IEmailTemplates templates, IOptions<AppOptions> app)
{
    public const string Setting = "emailOnJobComplete";

    public async Task JobFinishedAsync(GenerationJob job, CancellationToken cancellationToken)
    {
        var user = await identity.FindByIdAsync(job.UserId, cancellationToken);
        if (user is null || !WantsEmail(user.SettingsJson))
        {
            return;
        }

        var completed = job.Status == JobStatus.Completed;
        await email.SendAsync(
            templates.Render(EmailTemplateNames.JobFinished, user.Email, new Dictionary<string, string>
            {
                ["name"] = user.Name,
                ["prompt"] = job.Description.Length <= 120 ? job.Description : job.Description[..117] + "...",
                ["outcome"] = completed ? "is ready" : "failed",
                ["details"] = completed
                    ? $"Open it in the app: {app.Value.FrontendUrl.TrimEnd('/')}/jobs/{job.Id}"
                    : $"The model server said: {job.Error}",
            }),
            cancellationToken);
    }

    private static bool WantsEmail(string settingsJson)
    {
        using var settings = JsonDocument.Parse(string.IsNullOrWhiteSpace(settingsJson) ? "{}" : settingsJson);
        return settings.RootElement.TryGetProperty(Setting, out var value) && value.ValueKind == JsonValueKind.True;
    }
}
