using System.Diagnostics;
using Edge.Agent.Tests.Ota.Support;
using Edge.TestUtilities.Mqtt;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// The AOT edge-agent of the local-http benchmark, as its own process against Mosquitto: optionally serving a signed
/// mnist package through OTA, optionally with the local HTTP server on a free loopback port.
/// </summary>
internal sealed class LocalHttpAgent : IAsyncDisposable
{
    private readonly OtaPackages _packages;
    private readonly string _directory;

    private LocalHttpAgent(Process process, OtaPackages packages, string directory, int port)
    {
        Process = process;
        _packages = packages;
        _directory = directory;
        Port = port;
    }

    public Process Process { get; }

    /// <summary>The HTTP port, or 0 without the server.</summary>
    public int Port { get; }

    public static async Task<LocalHttpAgent> StartAsync(string executable, int brokerPort, bool model, string? routes, params string[] extra)
    {
        var packages = new OtaPackages();
        var directory = AgentBenchSupport.TempDirectory("local-http");
        var arguments = new List<string>(extra);
        if (model)
        {
            var package = await packages.BuildAsync("1.0.0", rounds: 0);
            arguments.AddRange(
            [
                "--Ota:Enabled=true", $"--Ota:DataDirectory={Path.Combine(directory, "ota")}", $"--Ota:TrustedKeyFiles:0={packages.PublicKeyPath}",
                $"--Ota:TrustedJobKeyFiles:0={packages.OperatorPublicKeyPath}", $"--Ota:InitialPackage={package}",
            ]);
        }

        var port = 0;
        if (routes is not null)
        {
            port = FreePort.Next();
            arguments.AddRange(["--Http:Enabled=true", $"--Http:Urls:0=http://127.0.0.1:{port}", "--Http:RequestsPerSecond=100000"]);
            if (routes == "inference")
            {
                arguments.Add("--Http:InferenceRoutes=true");
            }
        }

        var process = AgentBenchSupport.StartAgent(executable, "http" + Guid.NewGuid().ToString("N")[..6], brokerPort, Path.Combine(directory, "outbox.db"), [.. arguments]);
        var agent = new LocalHttpAgent(process, packages, directory, port);
        if (port != 0)
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), CancellationToken.None);
        }

        return agent;
    }

    public ValueTask DisposeAsync()
    {
        AgentBenchSupport.Stop(Process);
        Process.Dispose();
        _packages.Dispose();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
