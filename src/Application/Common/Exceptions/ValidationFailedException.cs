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

    private static string ToCamelCase(string name) =>
        string.IsNullOrEmpty(name) || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
