using Xunit.Sdk;

namespace CommunityBot.Tests.Harness;

/// <summary>
/// A fact of an abstract contract test class, run once in each concrete class (one per implementation). Unlike a plain
/// fact it can be skipped per class: in a class marked <see cref="Storage.Postgres.PostgresTestsAttribute"/> it is reported
/// as skipped, with the reason, when no PostgreSQL server is configured (<see cref="ContractFactDiscoverer"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("CommunityBot.Tests.Harness.ContractFactDiscoverer", "CommunityBot.Tests")]
public sealed class ContractFactAttribute : FactAttribute;
