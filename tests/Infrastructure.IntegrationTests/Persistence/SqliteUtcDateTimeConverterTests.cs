using CleanBackend.Infrastructure.Persistence.Conventions;

namespace CleanBackend.Infrastructure.IntegrationTests.Persistence;

public sealed class SqliteUtcDateTimeConverterTests
{
    [Theory]
    [InlineData("2026-05-01 09:30:15", 0)]
    [InlineData("2026-05-01 09:30:15.5", 5_000_000)]
    [InlineData("2026-05-01 09:30:15.25", 2_500_000)]
    [InlineData("2026-05-01 09:30:15.1234567", 1_234_567)]
    [InlineData("2026-05-01 09:30:15.0000001", 1)]
    public void Parse_TheTextEfCoreWrites_GivesUtcTimes(string text, long fractionTicks)
    {
        var time = SqliteUtcDateTimeConverter.Parse(text);

        time.ShouldBe(new DateTime(2026, 5, 1, 9, 30, 15, DateTimeKind.Utc).AddTicks(fractionTicks));
        time.Kind.ShouldBe(DateTimeKind.Utc);
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("2024-02-29 23:59:59+00:00")]
    public void Parse_OtherText_GoesThroughTheGeneralParser(string text)
    {
        SqliteUtcDateTimeConverter.Parse(text).ShouldBe(new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("2026-02-30 10:00:00")]
    [InlineData("2026-13-01 10:00:00")]
    [InlineData("2026-05-01 24:00:00")]
    [InlineData("not a time")]
    public void Parse_WhatIsNoTime_Throws(string text)
    {
        Should.Throw<FormatException>(() => SqliteUtcDateTimeConverter.Parse(text));
    }

    [Fact]
    public void Format_ThenParse_GivesTheSameInstant_FromUtcOrLocalTimes()
    {
        var utc = new DateTime(2026, 11, 30, 23, 15, 0, DateTimeKind.Utc).AddTicks(1_230_000);

        SqliteUtcDateTimeConverter.Format(utc).ShouldBe("2026-11-30 23:15:00.123");
        SqliteUtcDateTimeConverter.Parse(SqliteUtcDateTimeConverter.Format(utc)).ShouldBe(utc);
        SqliteUtcDateTimeConverter.Parse(SqliteUtcDateTimeConverter.Format(utc.ToLocalTime())).ShouldBe(utc);
    }
}
