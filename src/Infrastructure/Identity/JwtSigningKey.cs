using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace CleanBackend.Infrastructure.Identity;

/// <summary>
/// The one signing key of the process, shared by the token issuer and the bearer validation. In Development
/// without JWT_SECRET a random key is made, so tokens do not survive a restart.
/// </summary>
public sealed partial class JwtSigningKey
{
    public JwtSigningKey(IOptions<JwtOptions> options, ILogger<JwtSigningKey> logger)
    {
        var secret = options.Value.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            LogEphemeralKey(logger);
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64));
        }
        else
        {
            Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        }
    }

    public SymmetricSecurityKey Key { get; }

    [LoggerMessage(Level = LogLevel.Warning, Message = "JWT_SECRET is not set: using a random signing key for this run; tokens will not survive a restart")]
    private static partial void LogEphemeralKey(ILogger logger);
}
