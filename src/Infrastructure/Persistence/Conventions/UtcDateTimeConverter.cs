using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CleanBackend.Infrastructure.Persistence.Conventions;

/// <summary>Writes times as UTC and marks the times read back as UTC, whatever the provider returns.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
