using Npgsql;

namespace CleanBackend.Infrastructure.Persistence;

/// <summary>Accepts both the URL form of hosted PostgreSQL (<c>postgres://user:pass@host:5432/db</c>) and Npgsql keywords.</summary>
public static class PostgresConnectionString
{
    public static string FromUrlOrKeywords(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var credentials = uri.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            Username = Uri.UnescapeDataString(credentials[0]),
        };
        if (credentials.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(credentials[1]);
        }

        return builder.ConnectionString;
    }

    public static bool IsValid(string value)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(FromUrlOrKeywords(value));
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException)
        {
            return false;
        }
    }
}
