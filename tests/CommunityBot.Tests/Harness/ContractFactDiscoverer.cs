using CommunityBot.Tests.Storage.Postgres;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// Discovers a <see cref="ContractFactAttribute"/> test as xUnit's fact discoverer does, except that in a class marked
/// <see cref="PostgresTestsAttribute"/> without a configured server it yields a skipped test case carrying the reason.
/// xUnit 2 decides skipping at discovery, per method attribute; the class is what tells the implementations apart here.
/// </summary>
public sealed class ContractFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(PostgresTestsAttribute).AssemblyQualifiedName!).Any();
        if (needsPostgres && PostgresTestServer.SkipReason is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason)];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
