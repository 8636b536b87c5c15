// The bench's bare baseline: what the service's list answers and downloads cost with nothing in between.
// It validates the service's JWT the same way (same secret, issuer, audience, bearer handler), runs ONE SQL
// query per request on a copy of the service's SQLite file and writes the same JSON with Utf8JsonWriter;
// it serves a folder with the static file middleware for the download comparison. No logging, no MediatR,
// no EF Core, no AutoMapper, no session check.
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.FileProviders;
using Microsoft.IdentityModel.Tokens;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();

var settings = builder.Configuration;
var secret = settings["JWT_SECRET"] ?? throw new InvalidOperationException("JWT_SECRET is required.");
var database = settings["BASELINE_DB"] ?? throw new InvalidOperationException("BASELINE_DB (a copy of the service's SQLite file) is required.");
var staticDir = settings["BASELINE_STATIC_DIR"] ?? throw new InvalidOperationException("BASELINE_STATIC_DIR is required.");
var urls = new AssetUrls(secret, settings["API_URL"] ?? "http://localhost:8081", TimeSpan.FromHours(1));
// ASP.NET Core's JSON answers escape only what JSON needs (a URL's & stays &).
var jsonOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(bearer =>
{
    bearer.MapInboundClaims = false;
    bearer.TokenValidationParameters = new TokenValidationParameters
    {
        ValidateIssuer = true,
        ValidIssuer = settings["JWT_ISSUER"] ?? "cleanbackend",
        ValidateAudience = true,
        ValidAudience = settings["JWT_AUDIENCE"] ?? "cleanbackend",
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };
});
builder.Services.AddAuthorization();

var app = builder.Build();

var contentTypes = new FileExtensionContentTypeProvider();
contentTypes.Mappings[".glb"] = "model/gltf-binary";
app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(Path.GetFullPath(staticDir)),
    RequestPath = "/static",
    ContentTypeProvider = contentTypes,
});
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/health", () => Results.Text("ok"));

app.MapGet("/api/chats", async (HttpContext context, int? page, int? limit) =>
{
    var (userId, p, l) = Paging(context, page, limit);
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync(context.RequestAborted);
    await using var command = connection.CreateCommand();
    // One query: the user's total and one page, newest activity first (the service's order).
    command.CommandText = """
        SELECT t.Total, c.Id, c.Title, c.CreatedAt, c.UpdatedAt, c.LastMessageAt, c.MessageCount
        FROM (SELECT COUNT(*) AS Total FROM Chats WHERE UserId = $user) AS t
        LEFT JOIN (SELECT Id, Title, CreatedAt, UpdatedAt, LastMessageAt, MessageCount, LastActivityAt
                   FROM Chats WHERE UserId = $user
                   ORDER BY LastActivityAt DESC, Id DESC LIMIT $limit OFFSET $offset) AS c ON 1
        ORDER BY c.LastActivityAt DESC, c.Id DESC
        """;
    command.Parameters.AddWithValue("$user", userId);
    command.Parameters.AddWithValue("$limit", l);
    command.Parameters.AddWithValue("$offset", (p - 1L) * l);

    var buffer = new ArrayBufferWriter<byte>(8192);
    await using (var json = new Utf8JsonWriter(buffer, jsonOptions))
    {
        json.WriteStartObject();
        json.WriteStartArray("items");
        var total = 0;
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        while (await reader.ReadAsync(context.RequestAborted))
        {
            total = reader.GetInt32(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("id", Guid.Parse(reader.GetString(1)));
            json.WriteString("title", reader.GetString(2));
            json.WriteString("createdAt", Time(reader.GetString(3)));
            json.WriteString("updatedAt", Time(reader.GetString(4)));
            WriteTime(json, "lastMessageAt", reader.IsDBNull(5) ? null : reader.GetString(5));
            json.WriteNumber("messageCount", reader.GetInt32(6));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WritePage(json, p, l, total);
        json.WriteEndObject();
    }

    await Send(context, buffer);
}).RequireAuthorization();

app.MapGet("/api/jobs", async (HttpContext context, int? page, int? limit) =>
{
    var (userId, p, l) = Paging(context, page, limit);
    await using var connection = new SqliteConnection(connectionString);
    await connection.OpenAsync(context.RequestAborted);
    await using var command = connection.CreateCommand();
    // One query: the user's total, one page of jobs (newest first) and each job's assets (oldest first).
    command.CommandText = """
        SELECT t.Total, j.Id, j.Prompt, j.NegativePrompt, j.Title, j.Status, j.Progress, j.Formats, j.Seed, j.Quality,
               j.ChatId, j.Error, j.CreatedAt, j.StartedAt, j.CompletedAt, j.DurationMs,
               a.Id, a.Format, a.FileName, a.SizeBytes, a.Sha256, a.CreatedAt, a.StorageKey,
               j.ImageAssetIds, j.TargetPolycount, j.Topology
        FROM (SELECT COUNT(*) AS Total FROM GenerationJobs WHERE UserId = $user) AS t
        LEFT JOIN (SELECT * FROM GenerationJobs WHERE UserId = $user
                   ORDER BY CreatedAt DESC, Id DESC LIMIT $limit OFFSET $offset) AS j ON 1
        LEFT JOIN Assets AS a ON a.JobId = j.Id
        ORDER BY j.CreatedAt DESC, j.Id DESC, a.CreatedAt, a.Id
        """;
    command.Parameters.AddWithValue("$user", userId);
    command.Parameters.AddWithValue("$limit", l);
    command.Parameters.AddWithValue("$offset", (p - 1L) * l);

    var buffer = new ArrayBufferWriter<byte>(65536);
    await using (var json = new Utf8JsonWriter(buffer, jsonOptions))
    {
        json.WriteStartObject();
        json.WriteStartArray("items");
        var total = 0;
        string? current = null;
        string? thumbnailUrl = null;
        await using var reader = await command.ExecuteReaderAsync(context.RequestAborted);
        while (await reader.ReadAsync(context.RequestAborted))
        {
            total = reader.GetInt32(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var jobId = reader.GetString(1);
            if (jobId != current)
            {
                if (current is not null)
                {
                    EndJob(json, thumbnailUrl);
                }

                current = jobId;
                thumbnailUrl = null;
                json.WriteStartObject();
                json.WriteString("id", Guid.Parse(jobId));
                json.WriteString("prompt", reader.GetString(2));
                WriteNullable(json, "negativePrompt", reader.IsDBNull(3) ? null : reader.GetString(3));
                WriteNullable(json, "title", reader.IsDBNull(4) ? null : reader.GetString(4));
                json.WriteString("status", Camel(reader.GetString(5)));
                json.WriteNumber("progress", reader.GetInt32(6));
                json.WriteStartArray("formats");
                foreach (var format in reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    json.WriteStringValue(Camel(format));
                }

                json.WriteEndArray();
                json.WriteStartArray("imageAssetIds");
                foreach (var id in reader.GetString(23).Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    json.WriteStringValue(Guid.Parse(id));
                }

                json.WriteEndArray();
                if (reader.IsDBNull(24))
                {
                    json.WriteNull("targetPolycount");
                }
                else
                {
                    json.WriteNumber("targetPolycount", reader.GetInt32(24));
                }

                json.WriteString("topology", Camel(reader.GetString(25)));
                json.WriteNumber("seed", reader.GetInt64(8));
                json.WriteString("quality", Camel(reader.GetString(9)));
                if (reader.IsDBNull(10))
                {
                    json.WriteNull("chatId");
                }
                else
                {
                    json.WriteString("chatId", Guid.Parse(reader.GetString(10)));
                }

                WriteNullable(json, "error", reader.IsDBNull(11) ? null : reader.GetString(11));
                json.WriteString("createdAt", Time(reader.GetString(12)));
                WriteTime(json, "startedAt", reader.IsDBNull(13) ? null : reader.GetString(13));
                WriteTime(json, "completedAt", reader.IsDBNull(14) ? null : reader.GetString(14));
                if (reader.IsDBNull(15))
                {
                    json.WriteNull("durationMs");
                }
                else
                {
                    json.WriteNumber("durationMs", reader.GetInt64(15));
                }

                json.WriteStartArray("assets");
            }

            if (!reader.IsDBNull(16))
            {
                json.WriteStartObject();
                json.WriteString("id", Guid.Parse(reader.GetString(16)));
                json.WriteString("jobId", Guid.Parse(jobId));
                json.WriteString("format", Camel(reader.GetString(17)));
                json.WriteString("fileName", reader.GetString(18));
                json.WriteNumber("sizeBytes", reader.GetInt64(19));
                json.WriteString("sha256", reader.GetString(20));
                json.WriteString("createdAt", Time(reader.GetString(21)));
                var url = urls.For(reader.GetString(22));
                json.WriteString("url", url);
                json.WriteEndObject();
                if (thumbnailUrl is null && reader.GetString(17) == "Png")
                {
                    // The job's thumbnail is its first png.
                    thumbnailUrl = url;
                }
            }
        }

        if (current is not null)
        {
            EndJob(json, thumbnailUrl);
        }

        json.WriteEndArray();
        WritePage(json, p, l, total);
        json.WriteEndObject();
    }

    await Send(context, buffer);
}).RequireAuthorization();

app.Run();

// Closes a job's assets and the job, with its thumbnail's link after them as the service writes it.
static void EndJob(Utf8JsonWriter json, string? thumbnailUrl)
{
    json.WriteEndArray();
    WriteNullable(json, "thumbnailUrl", thumbnailUrl);
    json.WriteEndObject();
}

static (string UserId, int Page, int Limit) Paging(HttpContext context, int? page, int? limit)
{
    // The service keeps user ids as upper-case GUID text.
    var userId = Guid.Parse(context.User.FindFirst("sub")!.Value).ToString().ToUpperInvariant();
    return (userId, Math.Clamp(page ?? 1, 1, 1_000_000), Math.Clamp(limit ?? 20, 1, 100));
}

static void WritePage(Utf8JsonWriter json, int page, int limit, int total)
{
    json.WriteNumber("page", page);
    json.WriteNumber("limit", limit);
    json.WriteNumber("total", total);
    json.WriteNumber("totalPages", total == 0 ? 0 : (int)Math.Ceiling(total / (double)limit));
}

static DateTime Time(string value) =>
    DateTime.ParseExact(value, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

static void WriteTime(Utf8JsonWriter json, string name, string? value)
{
    if (value is null)
    {
        json.WriteNull(name);
    }
    else
    {
        json.WriteString(name, Time(value));
    }
}

static void WriteNullable(Utf8JsonWriter json, string name, string? value)
{
    if (value is null)
    {
        json.WriteNull(name);
    }
    else
    {
        json.WriteString(name, value);
    }
}

// Enum names as the service writes them (camelCase): "Completed" -> "completed", "glb" stays "glb".
static string Camel(string value) => value.Length == 0 || char.IsLower(value[0]) ? value : string.Concat(char.ToLowerInvariant(value[0]).ToString(), value.AsSpan(1));

static async Task Send(HttpContext context, ArrayBufferWriter<byte> buffer)
{
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = buffer.WrittenCount;
    await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
}

/// <summary>The service's signed asset links: HMAC-SHA256 over "key\nexpiry" with a key derived from JWT_SECRET.</summary>
internal sealed class AssetUrls(string secret, string baseUrl, TimeSpan lifetime)
{
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "asset-urls"u8.ToArray());
    private readonly string _baseUrl = baseUrl.TrimEnd('/');

    public string For(string storageKey)
    {
        var expires = (DateTimeOffset.UtcNow + lifetime).ToUnixTimeSeconds();
        var path = string.Join('/', storageKey.Split('/').Select(Uri.EscapeDataString));
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{storageKey}\n{expires}"))));
        return string.Create(CultureInfo.InvariantCulture, $"{_baseUrl}/assets/{path}?exp={expires}&sig={signature}");
    }
}
