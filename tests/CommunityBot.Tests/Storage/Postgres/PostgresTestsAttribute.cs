namespace CommunityBot.Tests.Storage.Postgres;

/// <summary>
/// Marks a concrete contract test class that runs against PostgreSQL: its inherited <see cref="Harness.ContractFactAttribute"/>
/// tests are reported as skipped, with <see cref="PostgresTestServer.SkipReason"/>, where no server is configured.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PostgresTestsAttribute : Attribute;
