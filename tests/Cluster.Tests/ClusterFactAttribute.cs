using System.Runtime.CompilerServices;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// A fact that is skipped, with the reason, when the cluster's programs are missing outside CI, and that
/// remembers its line so <see cref="DeclarationOrderer"/> can run the facts in the order they are written.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute([CallerLineNumber] int line = 0)
    {
        Line = line;
        Skip = ClusterPrerequisites.SkipReason;
    }

    public int Line { get; }
}

/// <summary>
/// Runs a class's facts in declaration order: the ones that stop Redis or kill an instance come last, so a
/// failure to bring them back cannot spoil the others.
/// </summary>
public sealed class DeclarationOrderer : ITestCaseOrderer
{
    public const string TypeName = "CleanBackend.Cluster.Tests.DeclarationOrderer";
    public const string AssemblyName = "CleanBackend.Cluster.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => LineOf(t)).ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);

    private static int LineOf(ITestCase testCase) =>
        testCase.TestMethod.Method.GetCustomAttributes(typeof(ClusterFactAttribute).AssemblyQualifiedName)
            .Select(a => a.GetConstructorArguments().OfType<int>().FirstOrDefault())
            .FirstOrDefault(int.MaxValue);
}
