namespace CleanBackend.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>ASSETS_DIR: the folder that holds asset files.</summary>
    public string AssetsDir { get; set; } = "data/assets";

    /// <summary>How long a signed asset URL works (<c>1h</c>, <c>30m</c>, …).</summary>
    public string SignedUrlLifetime { get; set; } = "1h";
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new Configuration.OptionsErrors();
        if (string.IsNullOrWhiteSpace(options.AssetsDir))
        {
            errors.Add("ASSETS_DIR", "must name a folder.");
        }

        if (!Configuration.Duration.TryParse(options.SignedUrlLifetime, out _))
        {
            errors.Add("Storage:SignedUrlLifetime", $"'{options.SignedUrlLifetime}' is not a duration such as 30m or 1h.");
        }

        return errors.ToResult();
    }
}
