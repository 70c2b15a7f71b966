using System.Text.Json.Nodes;
using Edge.Agent;
using Edge.Optimizer.Data;
using Edge.Sdk.Processing.Preprocessing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Edge.Quickstart.Devices;

/// <summary>
/// One simulated device, run as its own process (<c>Edge.Quickstart device ...</c>) as it would be on hardware: the
/// real agent (AddEdgeAgent: MQTT, telemetry every second, OTA with A/B slots and the health gate) and an app that
/// classifies images through the agent's live model. Each device is a process of its own because the agent reads
/// inference metrics from the SDK's process-wide meter: two devices in one process would report each other's calls.
/// Runs until its standard input closes, then prints its final counts.
/// </summary>
internal static class DeviceApp
{
    private static readonly Lock OutputLock = new();

    public static async Task<int> RunAsync(DeviceArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        void Emit(JsonObject payload)
        {
            payload["device"] = arguments.Device;
            lock (OutputLock)
            {
                output.WriteLine(DeviceEvents.Format(payload));
                output.Flush();
            }
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddEdgeConsole();
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddEdgeAgent(o =>
        {
            o.FleetId = arguments.Fleet;
            o.DeviceId = arguments.Device;
            o.Mqtt.Host = "127.0.0.1";
            o.Mqtt.Port = arguments.Port;
            o.Telemetry.Interval = TimeSpan.FromSeconds(1);
            o.Outbox.Path = Path.Combine(arguments.Folder, "outbox.db");
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = Path.Combine(arguments.Folder, "ota");
            o.Ota.TrustedKeyFiles = [arguments.TrustedKey];
            o.Ota.TrustedJobKeyFiles = [arguments.TrustedJobKey];
            o.Ota.InitialPackage = arguments.InitialPackage;
            o.Ota.DiskReserveBytes = 0;
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var model = host.Services.GetRequiredService<ActiveModel>();
        var modelHost = model.Host ?? throw new InvalidOperationException($"Device {arguments.Device} started without a model from '{arguments.InitialPackage}'.");
        var preprocess = arguments.PreprocessPath is null ? null : await PreprocessSpec.FromFileAsync(arguments.PreprocessPath, cancellationToken);
        var (samples, outputLength) = LoadSamples(modelHost, arguments.AppData, preprocess);
        var loop = new InferenceLoop(model, modelHost, samples, outputLength, Emit);
        loop.Start();
        Emit(new JsonObject { ["event"] = DeviceEvents.Ready, ["version"] = model.Version, ["slot"] = model.Slot, ["images"] = samples.Count });

        // The quickstart closes standard input to stop the device; a parent that dies closes it too.
        while (await Console.In.ReadLineAsync(cancellationToken) is not null)
        {
        }

        var final = loop.Stop();
        Emit(final);
        await host.StopAsync(CancellationToken.None);
        return 0;
    }

    private static (List<(float[] Input, int Label)> Samples, int OutputLength) LoadSamples(Edge.Sdk.Inference.ModelHost host, string data, PreprocessSpec? preprocess)
    {
        using var lease = host.Acquire();
        var session = lease.Session;
        var builder = new SampleInputBuilder(session.Inputs, preprocess);
        var samples = new List<(float[], int)>();
        foreach (var sample in DatasetFactory.Open(data).Read())
        {
            samples.Add(((float[])builder.Build(sample)[0].Data, sample.Label ?? -1));
        }

        var outputLength = (int)session.Outputs[0].Dimensions.Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        return (samples, outputLength);
    }
}
