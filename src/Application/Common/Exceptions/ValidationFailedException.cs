using FluentValidation.Results;

namespace CleanBackend.Application.Common.Exceptions;

/// <summary>Input that failed validation, with the messages grouped by field.</summary>
public class ValidationFailedException : Exception
{
    public ValidationFailedException()
        : base("One or more validation failures have occurred.")
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationFailedException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    public ValidationFailedException(IEnumerable<ValidationFailure> failures)
        : this()
    {
        Errors = failures
            .GroupBy(e => ToCamelCase(e.PropertyName), e => e.ErrorMessage)
            .ToDictionary(g => g.Key, g => g.Distinct().ToArray());
    }

    public static ValidationFailedException ForField(string field, string message) =>
        new([new ValidationFailure(field, message)]);

    public IDictionary<string, string[]> Errors { get; }

    /// <summary>Field names as the JSON bodies spell them: "Items[0].Name" becomes "items[0].name".</summary>
    private static string ToCamelCase(string name) =>
        string.Join('.', name.Split('.').Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName));
}
