using CleanBackend.Application;
using CleanBackend.Infrastructure;
using CleanBackend.WebApi;
using CleanBackend.WebApi.Configuration;
using CleanBackend.WebApi.Infrastructure;
using CleanBackend.WebApi.Infrastructure.OpenApi;
using CleanBackend.WebApi.Infrastructure.RateLimiting;
using CleanBackend.WebApi.Logging;
using CleanBackend.WebApi.Middleware;
using Serilog;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddSeedEnvironmentVariables();

builder.Logging.ClearProviders();
builder.Services.AddSerilog(SerilogConfiguration.CreateLogger(builder.Configuration), dispose: true);

// PORT decides where Kestrel listens unless URLs were given explicitly (ASPNETCORE_URLS, --urls).
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    var port = builder.Configuration.GetValue("Server:Port", 8081);
    builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
}

builder.Services
    .AddApplicationServices(builder.Configuration["AUTOMAPPER_LICENSE_KEY"])
    .AddInfrastructureServices(builder.Configuration)
    .AddWebApiServices(builder.Configuration);

var app = builder.Build();

// Uptime counts from here, not from the first health check.
app.Services.GetRequiredService<CleanBackend.WebApi.Controllers.ServiceStartTime>();

app.UseForwardedHeaders();
app.UseSerilogRequestLogging(options => SerilogConfiguration.ConfigureRequestLogging(options, app.Services.GetRequiredService<Serilog.ILogger>()));
app.UseMiddleware<RequestIdMiddleware>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<SecurityHeadersMiddleware>();
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
}

app.UseRouting();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseCors(CleanBackend.WebApi.DependencyInjection.CorsPolicy);
app.UseAuthentication();
app.UseContractRateLimiting();
app.UseAuthorization();

app.UseContractOpenApi();
app.MapServiceMetrics();
app.MapControllers();
app.MapHub<CleanBackend.WebApi.Realtime.EventsHub>("/hubs/events");

try
{
    await app.RunAsync();
}
catch (Exception ex) when (ex is Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException or FormatException)
{
    // The host has disposed the service's logger by now (its sinks write in the background): straight to the console.
    using var console = SerilogConfiguration.CreateConsoleLogger();
    console.Fatal("Start-up failed: {Message}", ex.Message);
    throw;
}

/// <summary>The entry point, visible to the functional tests' host.</summary>
public partial class Program;
