using System.Diagnostics;
using Edge.Agent;
using Edge.Fleet.Publishing;
using Edge.Protocol.Ota;
using Edge.TestUtilities.Mqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace Edge.Bench.Benchmarks;

/// <summary>
/// One OTA bench setup in a child process: Mosquitto, an in-process agent with OTA on (starting from an initial
/// package), and the real publisher (ChunkServer, JobPublisher, JobStateTracker) on its own connection.
/// </summary>
internal sealed class OtaBenchSupport : IAsyncDisposable
{
    public const string Fleet = "bench";
    public const string Device = "ota-bench";
    private readonly IHost _agent;
    private readonly IMqttClient _client;
    private readonly JobSigner _signer;
    private int _jobs;

    private OtaBenchSupport(MosquittoBroker broker, IHost agent, IMqttClient client, string folder, JobSigner signer)
    {
        _signer = signer;
        Broker = broker;
        _agent = agent;
        _client = client;
        Folder = folder;
        Chunks = new ChunkServer(client, Fleet);
        States = new JobStateTracker(client, Fleet);
        Jobs = new JobPublisher(client, Fleet, signer);
    }

    public MosquittoBroker Broker { get; }

    public string Folder { get; }

    public ChunkServer Chunks { get; }

    public JobStateTracker States { get; }

    public JobPublisher Jobs { get; }

    public ActiveModel Model => _agent.Services.GetRequiredService<ActiveModel>();

    public static async Task<OtaBenchSupport> StartAsync(string initialPackage, string trustedKey, string folder)
    {
        var broker = await MosquittoBroker.StartAsync();
        // The operator key that signs the bench's job documents (docs/protocol.md, Signed jobs).
        using var operatorKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var operatorPublicKey = Path.Combine(folder, "operator.pub.pem");
        await File.WriteAllTextAsync(operatorPublicKey, operatorKey.ExportSubjectPublicKeyInfoPem());
        var signer = JobSigner.FromPem(operatorKey.ExportPkcs8PrivateKeyPem(), "the bench operator key");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEdgeAgent(o =>
        {
            o.FleetId = Fleet;
            o.DeviceId = Device;
            o.Mqtt.Host = broker.Host;
            o.Mqtt.Port = broker.Port;
            o.Telemetry.Interval = TimeSpan.FromHours(1);
            o.Outbox.Path = Path.Combine(folder, "outbox.db");
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = Path.Combine(folder, "agent");
            o.Ota.TrustedKeyFiles = [trustedKey];
            o.Ota.TrustedJobKeyFiles = [operatorPublicKey];
            o.Ota.InitialPackage = initialPackage;
            o.Ota.DiskReserveBytes = 0;
        });
        var agent = builder.Build();
        await agent.StartAsync();
        var client = await BrokerConnection.ConnectAsync($"127.0.0.1:{broker.Port}", "bench-fleet", null, null, CancellationToken.None);
        var support = new OtaBenchSupport(broker, agent, client, folder, signer);
        await support.Chunks.StartAsync(CancellationToken.None);
        await support.States.StartAsync(CancellationToken.None);
        return support;
    }

    /// <summary>Publishes a job for <paramref name="package"/>, serves it, and returns the job and a stopwatch started at the publish.</summary>
    public async Task<(OtaJobDocument Job, Stopwatch Clock)> DeployAsync(string package, OtaTransfer transfer, OtaHealthGate gate, OtaBenchRequest? benchRequest = null)
    {
        var job = await JobPublisher.CreateJobAsync(package, $"bench-{Interlocked.Increment(ref _jobs)}", transfer, gate, false, null, DateTimeOffset.UnixEpoch, CancellationToken.None);
        job = job with { Bench = benchRequest };
        Chunks.Serve(job, package);
        var clock = Stopwatch.StartNew();
        await Jobs.PublishToDeviceAsync(Device, job, CancellationToken.None);
        return (job, clock);
    }

    /// <summary>Waits until the device reports <paramref name="state"/> (or ends the job) and returns the clock's reading then.</summary>
    public async Task<double> WaitForStateMsAsync(string jobId, string state, Stopwatch clock)
    {
        var reached = new TaskCompletionSource<double>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReport(OtaJobStateReport report)
        {
            if (report.JobId == jobId && report.State == state)
            {
                reached.TrySetResult(clock.Elapsed.TotalMilliseconds);
            }
            else if (report.JobId == jobId && OtaJobStates.IsTerminal(report.State))
            {
                reached.TrySetException(new InvalidOperationException($"Job {jobId} ended {report.State} before {state}: {report.Reason}"));
            }
        }

        States.Received += OnReport;
        try
        {
            return await reached.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        finally
        {
            States.Received -= OnReport;
        }
    }

    public async Task<OtaJobStateReport> WaitTerminalAsync(string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await States.WaitForTerminalAsync(Device, jobId, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        States.Dispose();
        await Chunks.DisposeAsync();
        _client.Dispose();
        await _agent.StopAsync();
        _agent.Dispose();
        await Broker.DisposeAsync();
        _signer.Dispose();
    }
}
