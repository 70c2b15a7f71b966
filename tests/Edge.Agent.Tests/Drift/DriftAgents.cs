using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Optimizer.Cli;

namespace Edge.Agent.Tests.Drift;

/// <summary>What the drift end-to-end tests share: a package made by the real <c>edge-optimize pack</c>, and an in-process agent serving it with every call sampled.</summary>
internal static class DriftAgents
{
    /// <summary>Packs <paramref name="model"/> as <paramref name="name"/> 1.0.0, signed with the bed's package key, with the extra pack arguments (the reference data).</summary>
    public static async Task<string> PackAsync(OtaTestBed bed, string directory, string model, string name, params string[] extra)
    {
        var key = Path.Combine(directory, "signing.key.pem");
        await File.WriteAllTextAsync(key, bed.Packages.Key.ExportPkcs8PrivateKeyPem());
        var package = Path.Combine(directory, name + ".edgepkg");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await EdgeOptimizeCli.RunAsync(
            ["pack", model, "--name", name, "--version", "1.0.0", "--target", "linux-x64,linux-arm64", "--key", key, "-o", package, .. extra],
            output, error);
        Assert.True(code == 0, $"pack failed with {code}: {error}");
        return package;
    }

    /// <summary>Starts an agent serving <paramref name="package"/> whose drift window holds <paramref name="window"/> calls, sampling every call.</summary>
    public static Task<AgentHarness> StartAsync(OtaTestBed bed, string directory, string device, string package, int window, TimeSpan? telemetryInterval = null) =>
        AgentHarness.StartAsync(bed.Broker.Host, bed.Broker.Port, device, o =>
        {
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = Path.Combine(directory, "agent-data");
            o.Ota.TrustedKeyFiles = [bed.Packages.PublicKeyPath];
            o.Ota.TrustedJobKeyFiles = [bed.Packages.OperatorPublicKeyPath];
            o.Ota.InitialPackage = package;
            o.Ota.DiskReserveBytes = 0;
            o.Telemetry.Interval = telemetryInterval ?? o.Telemetry.Interval;
            o.Drift.SampleFraction = 1;
            o.Drift.WindowSamples = window;
            o.Drift.QueueCapacity = 2 * window; // every call of a phase fits: nothing is dropped, whatever the timing
        });
}
