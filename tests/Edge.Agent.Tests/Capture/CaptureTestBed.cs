using System.Globalization;
using Edge.Agent.Capture;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.Fleet.Cli;
using Edge.Sdk.Inference;

namespace Edge.Agent.Tests.Capture;

/// <summary>
/// A Mosquitto broker, a signed mnist package the agents serve through OTA's initial install, a folder per device
/// (kept across agent restarts) and an edge-fleet state file, for capture tests.
/// </summary>
internal sealed class CaptureTestBed : IAsyncDisposable
{
    private readonly OtaTestBed _bed;

    private CaptureTestBed(OtaTestBed bed, string package)
    {
        _bed = bed;
        Package = package;
        Root = Path.Combine(bed.Packages.Root, "capture");
        Directory.CreateDirectory(Root);
        StatePath = Path.Combine(Root, "fleet-state.db");
    }

    public string Package { get; }

    public string Root { get; }

    public string StatePath { get; }

    public Edge.TestUtilities.Mqtt.MosquittoBroker Broker => _bed.Broker;

    public static async Task<CaptureTestBed> StartAsync()
    {
        var bed = await OtaTestBed.StartAsync();
        return new CaptureTestBed(bed, await bed.Packages.BuildAsync("1.0.0", rounds: 0));
    }

    public string DeviceFolder(string device) => Path.Combine(Root, device);

    /// <summary>Starts a real agent serving mnist 1.0.0, its state in <see cref="DeviceFolder"/>.</summary>
    public Task<AgentHarness> StartAgentAsync(string device, long dailyDataBudgetBytes = 0, bool captureEnabled = false) =>
        AgentHarness.StartAsync(Broker.Host, Broker.Port, device, o =>
        {
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = Path.Combine(DeviceFolder(device), "ota");
            o.Ota.TrustedKeyFiles = [_bed.Packages.PublicKeyPath];
            o.Ota.TrustedJobKeyFiles = [_bed.Packages.OperatorPublicKeyPath];
            o.Ota.InitialPackage = Package;
            o.Ota.DiskReserveBytes = 0;
            o.Ota.DailyDataBudgetBytes = dailyDataBudgetBytes;
            o.Capture.Directory = Path.Combine(DeviceFolder(device), "capture");
            o.Capture.Enabled = captureEnabled;
            o.Capture.SampleFraction = 1;
        });

    /// <summary>Runs edge-fleet in-process against this broker, fleet <c>fleet1</c> and the state file.</summary>
    public async Task<(int Code, string Output, string Error)> FleetAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] common = ["--state", StatePath, "--fleet", "fleet1", "--broker", Broker.Host, "--port", Broker.Port.ToString(CultureInfo.InvariantCulture)];
        var code = await EdgeFleetCli.RunAsync([.. args, .. common], output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <paramref name="calls"/> inferences through the served host with distinct inputs, waits until the ring
    /// holds them all, and returns the input and output bytes the app passed and got, in call order. When
    /// <paramref name="frame"/> gives a raw frame for a call, the app attaches it (<see cref="RawFrames.Attach"/>).
    /// </summary>
    public static async Task<(List<byte[]> Inputs, List<byte[]> Outputs)> InferAsync(AgentHarness agent, int calls, int seed, Func<int, (byte[] Data, string MediaType)?>? frame = null)
    {
        var host = agent.Get<ActiveModel>().Host ?? throw new InvalidOperationException("No model is served.");
        var ring = agent.Get<CaptureRuntime>().Ring;
        var before = ring.Totals().Samples;
        var inputs = new List<byte[]>();
        var outputs = new List<byte[]>();
        var random = new Random(seed);
        for (var i = 0; i < calls; i++)
        {
            var input = Enumerable.Range(0, 784).Select(_ => (float)random.NextDouble()).ToArray();
            var output = new float[10];
            using (frame?.Invoke(i) is { } raw ? RawFrames.Attach(raw.Data, raw.MediaType) : null)
            {
                host.Run<float, float>(input, output);
            }

            inputs.Add(System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
            outputs.Add(System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.AsSpan()).ToArray());
        }

        await MqttTestClient.WaitUntilAsync(() => ring.Totals().Samples >= before + calls, TimeSpan.FromSeconds(30), () => $"{ring.Totals().Samples} samples in the ring, expected {before + calls}");
        return (inputs, outputs);
    }

    public async ValueTask DisposeAsync() => await _bed.DisposeAsync();
}
