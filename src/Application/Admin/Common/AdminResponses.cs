using CleanBackend.Application.Users.Common;

namespace CleanBackend.Application.Admin.Common;

/// <summary>The answer of an admin action on a user.</summary>
/// <param name="Ok">Always true.</param>
/// <param name="Message">What happened.</param>
/// <param name="User">The user as it is now.</param>
public sealed record AdminUserResponse(bool Ok, string? Message, UserDto User);
