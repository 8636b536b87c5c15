using System.Globalization;
using System.Text.RegularExpressions;

namespace CleanBackend.WebApi.FunctionalTests.Metrics;

/// <summary>A small checker of the Prometheus text exposition format 0.0.4, strict where scrapers are.</summary>
public static partial class ExpositionFormat
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Parses every sample and fails on anything a scraper would reject or misread.</summary>
    public static IReadOnlyList<Sample> Parse(string text)
    {
        text.ShouldEndWith("\n");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith('#'))
            {
                var comment = Comment().Match(line);
                comment.Success.ShouldBeTrue($"bad comment line: {line}");
                if (comment.Groups[1].Value == "TYPE")
                {
                    comment.Groups[3].Value.ShouldBeOneOf("counter", "gauge", "histogram", "summary", "untyped");
                    types.TryAdd(comment.Groups[2].Value, comment.Groups[3].Value).ShouldBeTrue($"second TYPE line for {comment.Groups[2].Value}");
                }

                continue;
            }

            var match = SampleLine().Match(line);
            match.Success.ShouldBeTrue($"bad sample line: {line}");
            var name = match.Groups["name"].Value;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels.TryAdd(label.Groups[1].Value, Unescape(label.Groups[2].Value)).ShouldBeTrue($"label repeated: {line}");
            }

            var family = FamilyOf(name, types);
            family.ShouldNotBeNull($"no TYPE line before {line}");
            if (types[family] == "counter")
            {
                name.ShouldEndWith("_total");
            }

            samples.Add(new Sample(name, labels, ParseValue(match.Groups["value"].Value)));
        }

        CheckHistograms(samples, types);
        return samples;
    }

    public static IEnumerable<Sample> Named(this IEnumerable<Sample> samples, string name) => samples.Where(s => s.Name == name);

    public static bool Has(this Sample sample, string label, string value) => sample.Labels.TryGetValue(label, out var actual) && actual == value;

    /// <summary>Buckets of each series ascend, are cumulative, end with +Inf, and +Inf equals _count.</summary>
    private static void CheckHistograms(List<Sample> samples, Dictionary<string, string> types)
    {
        foreach (var family in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var series = samples.Where(s => s.Name == family + "_bucket").GroupBy(s => SeriesKey(s, except: "le"));
            foreach (var buckets in series)
            {
                var bounds = buckets.Select(b => ParseValue(b.Labels["le"])).ToList();
                bounds.ShouldBe([.. bounds.Order()], $"{family} buckets out of order");
                double.IsPositiveInfinity(bounds[^1]).ShouldBeTrue($"{family} has no +Inf bucket");
                var counts = buckets.Select(b => b.Value).ToList();
                counts.ShouldBe([.. counts.Order()], $"{family} buckets not cumulative");
                var count = samples.Single(s => s.Name == family + "_count" && SeriesKey(s, null) == buckets.Key);
                count.Value.ShouldBe(counts[^1], $"{family} +Inf bucket differs from _count");
                samples.Count(s => s.Name == family + "_sum" && SeriesKey(s, null) == buckets.Key).ShouldBe(1);
            }
        }
    }

    private static string? FamilyOf(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static string SeriesKey(Sample sample, string? except) =>
        string.Join(",", sample.Labels.Where(l => l.Key != except).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string value) => EscapeSequence().Replace(value, m => m.Value[1] switch
    {
        'n' => "\n",
        var c => c.ToString(),
    });

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex Comment();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*)?\})? (?<value>[+-]?Inf|NaN|[-+0-9.eE]+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)""")]
    private static partial Regex Label();

    [GeneratedRegex(@"\\[\\""n]")]
    private static partial Regex EscapeSequence();
}
