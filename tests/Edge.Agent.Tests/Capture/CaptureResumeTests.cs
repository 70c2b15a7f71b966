using System.Text.Json;
using Edge.Agent.Capture;
using Edge.Agent.Tests.Ota;
using Edge.Fleet.Capture;

namespace Edge.Agent.Tests.Capture;

/// <summary>
/// An interrupted <c>capture pull</c> resumes: the device's daily data budget stops the first run part-way (a clear
/// line, exit 2, progress kept), or the run is cancelled after its third chunk (as Ctrl-C does); the same command
/// then fetches only the missing chunks, and the file equals a fresh pull of the same snapshot. A snapshot the device no longer holds (lost, and the ring moved on) is said so and fetched anew.
/// </summary>
[Collection(OtaSerialGroup.Name)]
public sealed class CaptureResumeTests : IAsyncLifetime
{
    private CaptureTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await CaptureTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private string Npz(string name) => Path.Combine(_bed.Root, name + ".npz");

    private async Task<int> InterruptedPullAsync(string device, string npz)
    {
        await using (var agent = await _bed.StartAgentAsync(device, dailyDataBudgetBytes: 40_000, captureEnabled: true))
        {
            await CaptureTestBed.InferAsync(agent, 30, seed: 3);

            var first = await _bed.FleetAsync("capture", "pull", device, "-o", npz, "--chunk-size", "4KiB", "--window", "8");

            Assert.True(first.Code == 2, first.Output + first.Error);
            Assert.Contains($"device {device}: its daily data budget (Ota:DailyDataBudgetBytes) is spent after", first.Error, StringComparison.Ordinal);
            Assert.Contains("run the same command after UTC midnight to resume", first.Error, StringComparison.Ordinal);
            Assert.Single(first.Error.Trim().Split('\n'));
            Assert.False(File.Exists(npz));
        }

        var progress = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(CapturePartial.ProgressPath(npz + ".partial", device)), CapturePartialJsonContext.Default.CapturePartial)!;
        Assert.InRange(progress.Received.Count, 1, 25);
        return progress.Received.Count;
    }

    [Fact]
    public async Task Pull_StoppedByTheDataBudget_ResumesAfterRestart_FetchingOnlyTheMissingChunks()
    {
        var npz = Npz("resumed");
        var held = await InterruptedPullAsync("cap-r", npz);

        await using var agent = await _bed.StartAgentAsync("cap-r");
        var status = await _bed.FleetAsync("capture", "status", "cap-r");
        Assert.Contains("holds 30 samples", status.Output, StringComparison.Ordinal);

        var second = await _bed.FleetAsync("capture", "pull", "cap-r", "-o", npz, "--chunk-size", "4KiB", "--window", "8");

        Assert.True(second.Code == 0, second.Output + second.Error);
        var line = second.Error.Split('\n').Single(l => l.StartsWith("cap-r: snapshot ", StringComparison.Ordinal));
        var chunks = int.Parse(line.Split(" in ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.EndsWith($"({chunks - held} fetched, {held} already held)", line.Trim(), StringComparison.Ordinal);
        Assert.Contains("30 samples", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(npz + ".partial"));

        var fresh = Npz("fresh");
        var again = await _bed.FleetAsync("capture", "pull", "cap-r", "-o", fresh, "--chunk-size", "4KiB");
        Assert.True(again.Code == 0, again.Output + again.Error);
        Assert.Contains($"({chunks} fetched, 0 already held)", again.Error, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(fresh), await File.ReadAllBytesAsync(npz));
    }

    [Fact]
    public async Task Pull_CancelledAfterThreeChunks_RerunFetchesOnlyTheRest_SameFileAsAFreshPull()
    {
        await using var agent = await _bed.StartAgentAsync("cap-c", captureEnabled: true);
        await CaptureTestBed.InferAsync(agent, 20, seed: 6);
        var npz = Npz("cancelled");

        // The first run is cancelled (as Ctrl-C does) right after its third chunk is recorded.
        var broker = new Edge.Fleet.Connection.BrokerOptions { Host = _bed.Broker.Host, Port = _bed.Broker.Port };
        await using (var connection = new Edge.Fleet.Connection.BrokerConnection(broker, TimeProvider.System, "capture-test"))
        {
            await connection.ConnectAsync(CancellationToken.None);
            var client = await DeviceCommandClient.AttachAsync(connection, "fleet1", TimeProvider.System, CancellationToken.None);
            using var interrupt = new CancellationTokenSource();
            void CancelAtThree(int held)
            {
                if (held == 3)
                {
                    interrupt.Cancel();
                }
            }

            var fetcher = new CaptureSnapshotFetcher(client, TimeProvider.System) { Window = 4, ChunkStored = CancelAtThree };
            var puller = new CapturePuller(client, fetcher, TextWriter.Null) { ChunkSize = 4096 };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => puller.PullAsync(["cap-c"], npz, null, interrupt.Token));
        }

        Assert.False(File.Exists(npz));
        var second = await _bed.FleetAsync("capture", "pull", "cap-c", "-o", npz, "--chunk-size", "4KiB");

        Assert.True(second.Code == 0, second.Output + second.Error);
        var line = second.Error.Split('\n').Single(l => l.StartsWith("cap-c: snapshot snap-20-20: 20 samples, ", StringComparison.Ordinal)).Trim();
        var chunks = int.Parse(line.Split(" in ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.EndsWith($"({chunks - 3} fetched, 3 already held)", line, StringComparison.Ordinal);
        var fresh = Npz("cancelled-fresh");
        Assert.Equal(0, (await _bed.FleetAsync("capture", "pull", "cap-c", "-o", fresh, "--chunk-size", "4KiB")).Code);
        Assert.Equal(await File.ReadAllBytesAsync(fresh), await File.ReadAllBytesAsync(npz));
    }

    [Fact]
    public async Task Pull_DeviceLostTheSnapshot_SaysSoAndStartsOver()
    {
        var npz = Npz("lost");
        await InterruptedPullAsync("cap-l", npz);
        foreach (var snapshot in Directory.GetFiles(Path.Combine(_bed.DeviceFolder("cap-l"), "capture", "snapshots")))
        {
            File.Delete(snapshot);
        }

        await using var agent = await _bed.StartAgentAsync("cap-l", captureEnabled: true);
        await CaptureTestBed.InferAsync(agent, 5, seed: 4);
        var second = await _bed.FleetAsync("capture", "pull", "cap-l", "-o", npz, "--chunk-size", "4KiB");

        Assert.True(second.Code == 0, second.Output + second.Error);
        Assert.Contains("edge-fleet: cap-l no longer holds snapshot snap-30-30; starting over with snap-35-35", second.Error, StringComparison.Ordinal);
        Assert.Contains("0 already held)", second.Error, StringComparison.Ordinal);
        Assert.Contains("35 samples", second.Output, StringComparison.Ordinal);
    }
}
