namespace Bun.Delivery.Tests.Integrations.Database;

/// <summary>The tests that share the run's one PostgreSQL test server (<see cref="PostgresServer"/>, in Bun.Testing).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
