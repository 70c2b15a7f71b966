using Edge.CommandLine;
using Edge.Fleet.Cli;
using Edge.Fleet.Inventory;
using Edge.Fleet.Storage.Sqlite;
using Edge.Protocol;

namespace Edge.Fleet.Tests.Cli;

public sealed class DevicesCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edge-fleet-devices-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Devices_Redirected_WritesOneLinePerDeviceHoweverWide()
    {
        const string device = "camera-entrance-north-building-7";
        const string labels = "site=headquarters-lobby,floor=ground,owner=facilities-team,rollout-ring=canary";
        await using (var database = await FleetDatabase.OpenAsync(Path.Combine(_directory, "state.db"), CancellationToken.None))
        {
            // The retained status a real agent publishes on connect, as the devices command stores it.
            var status = new StatusPayload { State = "online", Fleet = "f1", Device = device, Timestamp = TimeProvider.System.GetUtcNow() };
            await new SqliteInventoryStore(database).SaveStatusesAsync([status], TimeProvider.System.GetUtcNow(), CancellationToken.None);
        }

        Assert.Equal(ExitCodes.Success, await RunAsync(TextWriter.Null, ["devices", "label", device, .. labels.Split(',')]));

        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, await RunAsync(output, ["devices", "--cached"]));

        // Before: Spectre.Console assumed 80 columns for redirected output and wrapped the row over several lines.
        var row = Assert.Single(output.ToString().Split('\n'), line => line.Contains(device, StringComparison.Ordinal));
        Assert.Contains(labels, row, StringComparison.Ordinal);
        Assert.True(row.Length > 80, $"the row is {row.Length} characters");
        Assert.DoesNotContain("\u001b[", output.ToString(), StringComparison.Ordinal);
    }

    private Task<int> RunAsync(TextWriter output, string[] args) =>
        EdgeFleetCli.RunAsync([.. args, "--state", Path.Combine(_directory, "state.db"), "--fleet", "f1"], output, new StringWriter());
}
