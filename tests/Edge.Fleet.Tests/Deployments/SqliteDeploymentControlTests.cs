using Edge.Fleet.Storage;

namespace Edge.Fleet.Tests.Deployments;

/// <summary>The operator's actions on a SQLite file in a temp folder.</summary>
public sealed class SqliteDeploymentControlTests : DeploymentControlContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-control-").FullName;

    internal override Task<StoreSpec> SpecAsync() => Task.FromResult(StoreSpec.Parse($"sqlite:{Path.Combine(_directory, "state.db")}", "--store"));

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
