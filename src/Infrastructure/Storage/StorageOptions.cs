namespace CleanBackend.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>ASSETS_DIR: the folder that holds asset files.</summary>
    public string AssetsDir { get; set; } = "data/assets";
}
