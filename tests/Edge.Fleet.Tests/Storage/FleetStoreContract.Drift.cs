using Edge.Fleet.Monitoring;
using Edge.Protocol;
using static Edge.Fleet.Tests.Storage.StoreTestData;

namespace Edge.Fleet.Tests.Storage;

/// <summary>Each device's latest drift figures, on both stores.</summary>
public abstract partial class FleetStoreContract
{
    internal static TelemetryRecord WithDrift(TelemetryRecord record, double? inputDistance, double? psi, int samples = 200) =>
        record with
        {
            Sample = record.Sample with
            {
                Drift = new DriftFigures
                {
                    Model = "mnist",
                    ReferenceVersion = "1.0.0",
                    Window = 200,
                    Samples = samples,
                    InputDistance = inputDistance,
                    Input = inputDistance is null ? null : "Input3",
                    Channel = inputDistance is null ? null : 0,
                    ConfidencePsi = psi,
                    Sampled = 5_000_000_000,
                    Dropped = 3,
                },
            },
        };

    [Fact]
    public async Task AddTelemetry_DriftSections_KeepsTheNewestPerDevice()
    {
        Assert.Empty(await Store.Telemetry.LatestDriftAsync(CancellationToken.None));

        await Store.Telemetry.AddAsync([
            WithDrift(Record("cam-a", 1, Start), 0.01, 0.02),
            WithDrift(Record("cam-a", 2, Start.AddSeconds(10)), 2.9, 0.8),
            Record("cam-b", 1, Start),
        ], Start.AddSeconds(11), CancellationToken.None);
        await Store.Telemetry.AddAsync([WithDrift(Record("cam-a", 3, Start.AddSeconds(5)), 0.5, null, samples: 0)], Start.AddSeconds(12), CancellationToken.None);

        var stored = Assert.Single(await Store.Telemetry.LatestDriftAsync(CancellationToken.None));
        Assert.Equal(("cam-a", Start.AddSeconds(10)), (stored.Device, stored.At));
        Assert.Equal(WithDrift(Record("cam-a", 2, Start.AddSeconds(10)), 2.9, 0.8).Sample.Drift, stored.Figures);

        await Store.Telemetry.AddAsync([WithDrift(Record("cam-a", 4, Start.AddSeconds(20)), null, null, samples: 0)], Start.AddSeconds(21), CancellationToken.None);

        var latest = Assert.Single(await Store.Telemetry.LatestDriftAsync(CancellationToken.None));
        Assert.Equal((0, (double?)null, (string?)null, (int?)null, (double?)null), (latest.Figures.Samples, latest.Figures.InputDistance, latest.Figures.Input, latest.Figures.Channel, latest.Figures.ConfidencePsi));
    }
}
