using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CleanBackend.Infrastructure.Email;

internal static class EmailRegistration
{
    /// <summary>
    /// E-mail: templates, the queue behind <see cref="IEmailSender"/>, and the background delivery through SMTP
    /// (when SMTP_HOST is set) or into the pickup folder.
    /// </summary>
    internal static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();

        services.AddSingleton<IEmailTemplates, EmailTemplates>();
        services.AddSingleton(_ => QueuedEmailSender.CreateQueue());
        services.AddSingleton<IEmailSender, QueuedEmailSender>();
        services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpEmailTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupFolderEmailTransport>(sp));
        services.AddHostedService<EmailDeliveryService>();
        return services;
    }
}
