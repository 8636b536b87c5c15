namespace CleanBackend.Infrastructure.Identity;

public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
    public const string Moderator = "moderator";

    public static readonly IReadOnlyList<string> All = [User, Admin, Moderator];
}
