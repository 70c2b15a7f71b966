using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Deployments;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage;
using Edge.Fleet.Tests.Storage;
using Edge.TestUtilities.Mqtt;

namespace Edge.Fleet.Tests.Cli;

/// <summary>The commands that only touch the state store, through the real entry point, with --store postgres:... and bad stores.</summary>
public sealed class StoreOptionTests : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly PostgresFixture _postgres;
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-store-cli-").FullName;

    public StoreOptionTests(PostgresFixture postgres) => _postgres = postgres;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeFleetCli.RunAsync([.. args, "--fleet", "f1"], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task StoreCommands_WithPostgresStore_ReadAndWriteTheDatabase()
    {
        var store = $"postgres:{await _postgres.CreateDatabaseAsync()}";
        await using (var seeded = await FleetStore.OpenAsync(StoreSpec.Parse(store, "--store"), TimeProvider.System, CancellationToken.None))
        {
            await seeded.Inventory.SaveStatusesAsync([StoreTestData.Online("cam-a"), StoreTestData.Online("cam-b", board: "rpi5")], StoreTestData.Start, CancellationToken.None);
            var plan = DeploymentPlanner.Plan("dep-a", "orin", "a.edgepkg", "mnist", "2.0.0", new DeploymentOptions(), [new DeviceRecord { Fleet = "f1", Device = "cam-a", Online = true }]);
            await DeploymentPlanner.CreateAsync(seeded.Deployments, plan, CancellationToken.None);
        }

        var add = await RunAsync("groups", "add", "orin", "--selector", "board=jetson-orin-nano", "--store", store);
        var addList = await RunAsync("groups", "add", "pinned", "--devices", "cam-b,cam-z", "--store", store);
        var duplicate = await RunAsync("groups", "add", "orin", "--devices", "cam-b", "--store", store);
        var label = await RunAsync("devices", "label", "cam-b", "site=lobby", "--store", store);
        var groups = await RunAsync("groups", "list", "--store", store);
        var devices = await RunAsync("devices", "--cached", "--json", "--store", store);
        var status = await RunAsync("status", "--store", store);
        var deployment = await RunAsync("status", "dep-a", "--store", store);
        var removed = await RunAsync("groups", "remove", "pinned", "--store", store);
        var after = await RunAsync("groups", "list", "--store", store);

        Assert.Equal([ExitCodes.Success, ExitCodes.Success, ExitCodes.BadInput, ExitCodes.Success], new[] { add.Code, addList.Code, duplicate.Code, label.Code });
        Assert.Contains("a group with that name exists", duplicate.Error, StringComparison.Ordinal);
        Assert.Contains("orin", groups.Output, StringComparison.Ordinal);
        Assert.Contains("pinned", groups.Output, StringComparison.Ordinal);
        Assert.Contains("\"site\": \"lobby\"", devices.Output, StringComparison.Ordinal);
        Assert.Contains("rpi5", devices.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, status.Code);
        Assert.StartsWith("dep-a\trunning\tmnist 2.0.0\tgroup orin", status.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, deployment.Code);
        Assert.Contains("cam-a", deployment.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, removed.Code);
        Assert.DoesNotContain("pinned", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateOption_StillNamesTheSqliteFile_SameAsStoreSqlite()
    {
        var path = Path.Combine(_directory, "state.db");

        var added = await RunAsync("groups", "add", "lobby", "--devices", "d1", "--state", path);
        var listed = await RunAsync("groups", "list", "--store", $"sqlite:{path}");

        Assert.Equal(ExitCodes.Success, added.Code);
        Assert.Contains("lobby", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Store_UnreachableServer_ExitsTwoWithOneLineNamingServer()
    {
        var port = FreePort.Next();

        var (code, output, error) = await RunAsync("groups", "list", "--store", $"postgres:Host=127.0.0.1;Port={port};Database=fleet;Username=edge;Password=hunter2");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Cannot reach PostgreSQL at postgres://127.0.0.1:{port}/fleet", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--store", "mysql:Host=db" }, "--store (a connection string without 'postgres:') is not a store; expected sqlite:<path>")]
    [InlineData(new[] { "--store", "postgres:Hots=db" }, "--store: the PostgreSQL connection string is not valid")]
    [InlineData(new[] { "--store", "sqlite:/tmp/a.db", "--state", "/tmp/b.db" }, "--store and --state both name the state store; give one")]
    public async Task Store_BadSpec_ExitsTwoBeforeOpeningAnything(string[] store, string expected)
    {
        var (code, _, error) = await RunAsync(["groups", "list", .. store]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
