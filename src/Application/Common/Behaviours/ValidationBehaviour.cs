namespace CleanBackend.Application.Common.Behaviours;

/// <summary>Runs every validator of the request first; any failure stops it with a 400.</summary>
public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    private readonly IValidator<TRequest>[] _validators = [.. validators];

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (_validators.Length > 0)
        {
            var failures = new List<FluentValidation.Results.ValidationFailure>();
            foreach (var validator in _validators)
            {
                // A context per validator: a shared one accumulates failures, and each result would repeat the earlier ones.
                var result = await validator.ValidateAsync(new ValidationContext<TRequest>(request), cancellationToken);
                failures.AddRange(result.Errors);
            }

            if (failures.Count > 0)
            {
                throw new ValidationFailedException(failures);
            }
        }

        return await next();
    }
}
