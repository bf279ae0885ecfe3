namespace CommunityBot.Storage.Postgres;

/// <summary>
/// One step of the PostgreSQL schema: the SQL that brings a database from <c>Version - 1</c> to <see cref="Version"/>. It runs
/// in the migrator's one transaction, so it may hold several statements and must not manage transactions itself.
/// </summary>
public sealed record PostgresMigration(int Version, string Description, string Sql);
