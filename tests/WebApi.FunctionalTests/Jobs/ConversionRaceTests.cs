using System.Net;
using System.Net.Http.Json;
using CleanBackend.WebApi.FunctionalTests.Support;

namespace CleanBackend.WebApi.FunctionalTests.Jobs;

/// <summary>Conversions requested at the same moment, on each database: the database lets one of them store the model.</summary>
public sealed class ConversionRaceTests(ServicesPerDatabase services) : IClassFixture<ServicesPerDatabase>
{
    public static TheoryData<string> Providers => ServicesPerDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentConversions_ToStl_StoreOneAsset_AndLeaveNoStrayFiles(string provider) =>
        await ConvertAtOnceAsync(services[provider], "stl", ["stl"]);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentConversions_ToObj_StoreOneObjAndMtl_AndLeaveNoStrayFiles(string provider) =>
        await ConvertAtOnceAsync(services[provider], "obj", ["obj", "mtl"]);

    private static async Task ConvertAtOnceAsync(CleanBackendFactory factory, string format, string[] formats)
    {
        var client = factory.CreateClient((await factory.CreateUserAsync()).AccessToken);
        var job = (await (await client.PostAsJsonAsync("/api/jobs", new { prompt = "three red cubes and a blue torus" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("job").GetProperty("id").GetGuid();
        await client.WaitForJobAsync(job);
        var storedBefore = formats.Select(f => StoredFiles(factory, f)).ToList();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.PostAsJsonAsync($"/api/jobs/{job}/convert", new { format })));

        responses.Select(r => r.StatusCode).Order().ShouldBe([.. Enumerable.Repeat(HttpStatusCode.OK, 7), HttpStatusCode.Created]);
        var answers = new List<string>();
        foreach (var response in responses)
        {
            var assets = (await response.ReadJsonAsync(response.StatusCode)).GetProperty("assets").EnumerateArray().ToList();
            assets.Select(a => a.GetProperty("format").GetString()).ShouldBe(formats);
            answers.Add(string.Join(',', assets.Select(a => a.GetProperty("id").GetGuid())));
        }

        answers.Distinct().ShouldHaveSingleItem();
        foreach (var (kind, i) in formats.Select((f, i) => (f, i)))
        {
            (await (await client.GetAsync($"/api/assets?jobId={job}&format={kind}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32().ShouldBe(1, kind);
            (StoredFiles(factory, kind) - storedBefore[i]).ShouldBe(1, kind);
        }
    }

    /// <summary>The files of one extension in the service's asset folder, outside its folder of files being written.</summary>
    private static int StoredFiles(CleanBackendFactory factory, string extension)
    {
        var root = Path.Combine(factory.Root, "assets");
        return Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*." + extension, SearchOption.AllDirectories).Count(f => !f.Contains($"{Path.DirectorySeparatorChar}.tmp{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            : 0;
    }
}
