using System.Buffers;
using CleanBackend.Domain.Assets;

namespace CleanBackend.Infrastructure.ModelServers.Http;

/// <summary>The checks a file from a model server passes before it is handed on: its name, then its content.</summary>
internal static class ModelServerFiles
{
    /// <summary>Longest file name or id accepted from a server.</summary>
    public const int MaxNameLength = 100;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>
    /// A name that is safe as one path segment, both in a URL and on disk: letters, digits, '.', '_' and '-', starting
    /// with a letter or digit, no "..". So no separators, no parent folders, no hidden files, nothing to escape.
    /// </summary>
    public static bool IsPlainName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxNameLength
        && char.IsAsciiLetterOrDigit(name[0])
        && !name.AsSpan().ContainsAnyExcept(NameCharacters)
        && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Prompts are the users' words: logs get no more than their beginning.</summary>
    public static string PromptPrefix(string prompt) =>
        prompt.Length <= 32 ? prompt : string.Concat(prompt.AsSpan(0, 32), "...");

    /// <summary>The formats to ask for: the generatable ones requested, glb when there are none.</summary>
    public static IReadOnlyList<AssetFormat> Requested(IReadOnlyList<AssetFormat> formats)
    {
        var requested = formats.Where(f => f.IsGeneratable()).Distinct().ToList();
        return requested.Count > 0 ? requested : [AssetFormat.Glb];
    }

    /// <summary>The format a v1 file name stands for: a plain name whose extension is a generatable format or mtl.</summary>
    public static AssetFormat? FormatOfName(string? name)
    {
        if (!IsPlainName(name))
        {
            return null;
        }

        var dot = name!.LastIndexOf('.');
        return dot > 0 && AssetFormats.TryParse(name[(dot + 1)..], out var format) && (format.IsGeneratable() || format == AssetFormat.Mtl)
            && name[(dot + 1)..] == format.Extension()
            ? format
            : null;
    }

    /// <summary>
    /// The file's first bytes must say what its format says (a model server is not trusted on its word); a binary stl,
    /// which has no signature, must be exactly as long as its triangle count says.
    /// </summary>
    public static async Task CheckContentAsync(string path, string fileName, AssetFormat format, CancellationToken cancellationToken)
    {
        var head = new byte[AssetContent.HeadLength];
        int read;
        long length;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, AssetContent.HeadLength, FileOptions.Asynchronous))
        {
            read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            length = file.Length;
        }

        var valid = format == AssetFormat.Stl
            ? AssetContent.IsBinaryStl(head.AsSpan(0, read), length)
            : AssetContent.Detect(head.AsSpan(0, read)) == format;
        if (!valid)
        {
            throw ModelServerErrors.WrongContent(fileName, format);
        }
    }
}
