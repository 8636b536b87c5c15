namespace CleanBackend.Infrastructure.Configuration;

/// <summary>Collects the start-up configuration errors of one options class, each naming its variable.</summary>
internal sealed class OptionsErrors
{
    private readonly List<string> _errors = [];

    public void Add(string variable, string problem) => _errors.Add($"{variable}: {problem}");

    public ValidateOptionsResult ToResult() => _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
