using CleanBackend.Domain.Accounts;

namespace CleanBackend.Domain.UnitTests.Accounts;

public class RolesTests
{
    [Fact]
    public void All_IsUserAdminModeratorAsTheApiSpellsThem()
    {
        Roles.All.ShouldBe(["user", "admin", "moderator"]);
    }

    [Fact]
    public void OneOfMessage_NamesEveryRole()
    {
        Roles.OneOfMessage.ShouldBe("A role is one of user, admin, moderator.");
    }

    [Theory]
    [InlineData("user", true)]
    [InlineData("admin", true)]
    [InlineData("moderator", true)]
    [InlineData("Admin", false)]
    [InlineData("owner", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsKnown_AcceptsOnlyTheExactRoleNames(string? role, bool known)
    {
        Roles.IsKnown(role).ShouldBe(known);
    }
}
