using CleanBackend.Application.Common.Exceptions;

namespace CleanBackend.Application.UnitTests.Common.Exceptions;

internal static class ValidationFailedExceptionAssertions
{
    /// <summary>Exactly these fields, each with exactly these messages in this order.</summary>
    public static void ShouldHaveErrors(this ValidationFailedException exception, Dictionary<string, string[]> expected)
    {
        exception.Errors.Keys.ShouldBe(expected.Keys, ignoreOrder: true);
        foreach (var (field, messages) in expected)
        {
            exception.Errors[field].ShouldBe(messages, customMessage: $"messages of '{field}'");
        }
    }
}
