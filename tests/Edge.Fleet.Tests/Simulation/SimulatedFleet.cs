using System.Globalization;

namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// Many simulated devices against one broker (ids <c>dev-001</c>…), started a few at a time, with one driver loop that
/// runs every device's fake inference every 100 ms.
/// </summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _driver = Task.CompletedTask;

    private SimulatedFleet(string fleet, IReadOnlyList<SimulatedDevice> devices)
    {
        Fleet = fleet;
        Devices = devices;
    }

    public string Fleet { get; }

    public IReadOnlyList<SimulatedDevice> Devices { get; }

    public SimulatedDevice this[string id] => Devices.Single(d => d.Id == id);

    public static string DeviceId(int index) => "dev-" + index.ToString("D3", CultureInfo.InvariantCulture);

    public static async Task<SimulatedFleet> StartAsync(string host, int port, string fleet, int count, SimulationSettings settings, CancellationToken cancellationToken = default)
    {
        var devices = new SimulatedDevice[count];
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                devices[i] = await SimulatedDevice.StartAsync(host, port, fleet, DeviceId(i + 1), settings, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        var simulated = new SimulatedFleet(fleet, devices);
        simulated._driver = simulated.DriveAsync(settings.CallsPerTick);
        return simulated;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _driver;
        await Task.WhenAll(Devices.Select(d => d.DisposeAsync().AsTask()));
        _stop.Dispose();
    }

    private async Task DriveAsync(int callsPerTick)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var device in Devices)
                {
                    device.Runner.Run(callsPerTick);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
