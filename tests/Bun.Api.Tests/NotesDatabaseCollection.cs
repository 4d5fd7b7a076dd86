namespace Bun.Api.Tests;

/// <summary>
/// The tests that share the run's one PostgreSQL test server (<see cref="PostgresServer"/>, in Bun.Testing); each asks it
/// for its own database migrated with db/migrations.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NotesDatabaseCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "Notes database";
}
