using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Storage;

namespace Edge.Fleet.Tests.Deployments;

/// <summary>The operator's actions on a real PostgreSQL (one cluster per class, one database per test).</summary>
public sealed class PostgresDeploymentControlTests : DeploymentControlContract, IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _postgres;

    public PostgresDeploymentControlTests(PostgresFixture postgres) => _postgres = postgres;

    internal override async Task<StoreSpec> SpecAsync() => StoreSpec.Parse($"postgres:{await _postgres.CreateDatabaseAsync()}", "--store");
}
