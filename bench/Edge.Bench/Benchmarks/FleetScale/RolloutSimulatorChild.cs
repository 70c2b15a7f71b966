using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Fleet.Deployments;
using Edge.Packaging;

namespace Edge.Bench.Benchmarks.FleetScale;

/// <summary>
/// The device side of the rollout case, in its own process: the <see cref="LightFleetSimulator"/> publishing telemetry
/// at 1 msg/s per device and a <see cref="LightOtaResponder"/> answering jobs, until the tool writes <c>done</c>.
/// The candidate version is slower (p50/p95/p99 × <c>slowFactor</c>) on exactly the devices the deployment planner
/// puts in wave 3: they are ordered by id (all are online) and cut by the same <see cref="WavePlan"/>.
/// </summary>
internal static class RolloutSimulatorChild
{
    public static async Task<JsonObject> RunAsync(string directory, int port, int devices, string waves, double slowFactor, int connections)
    {
        await using var simulator = new LightFleetSimulator("bench", devices, connections);
        var assigned = WavePlan.Parse(waves).Assign(devices);
        for (var i = 0; i < devices; i++)
        {
            if (assigned[i] == 2)
            {
                simulator.CandidateFactor[i] = slowFactor;
            }
        }

        var trust = PackageTrust.FromPem(await File.ReadAllTextAsync(Path.Combine(directory, "operator.pub.pem")));
        await simulator.ConnectAsync("127.0.0.1", port, CancellationToken.None);
        await simulator.PublishStatusesAsync(CancellationToken.None);
        var cpuStart = ProcFigures.CpuSeconds(Environment.ProcessId);
        var started = TimeProvider.System.GetTimestamp();
        using var stop = new CancellationTokenSource();
        var run = simulator.RunTelemetryAsync(long.MaxValue, stop.Token);
        int maxJobs;
        int devicesWithJob;
        long rejected;
        await using (var responder = new LightOtaResponder(simulator, "bench", trust, TimeSpan.FromMilliseconds(50)))
        {
            await responder.StartAsync("127.0.0.1", port, CancellationToken.None);
            await File.WriteAllTextAsync(Path.Combine(directory, "ready"), "ready");
            await IngestSimulatorChild.WaitForFileAsync(Path.Combine(directory, "done"), TimeSpan.FromMinutes(30));
            await stop.CancelAsync();
            await run;
            maxJobs = responder.JobsReceived.Values.DefaultIfEmpty(0).Max();
            devicesWithJob = responder.JobsReceived.Count;
            rejected = responder.Rejected;
        }

        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
        var cpu = ProcFigures.CpuSeconds(Environment.ProcessId) - cpuStart;
        return new JsonObject
        {
            ["devices"] = devices,
            ["mqtt_connections"] = connections + 1,
            ["slow_candidate_devices"] = simulator.CandidateFactor.Count,
            ["slow_factor"] = slowFactor,
            ["devices_that_received_a_job"] = devicesWithJob,
            ["max_jobs_received_by_one_device"] = maxJobs,
            ["jobs_rejected"] = rejected,
            ["devices_on_candidate_version"] = simulator.DevicesOn(simulator.CandidateVersion),
            ["telemetry_published_acked"] = simulator.Acked,
            ["telemetry_publish_failed"] = simulator.Failed,
            ["telemetry_msgs_per_s_achieved"] = Math.Round(simulator.Acked / seconds, 1),
            ["cpu_percent_of_one_core"] = Math.Round(cpu / seconds * 100, 1),
            ["peak_rss_mib"] = ProcFigures.PeakRssMib(Environment.ProcessId),
            ["ran_s"] = Math.Round(seconds, 1),
            ["waves_plan"] = waves,
            ["wave3_first_device"] = LightFleetSimulator.DeviceId(assigned.ToList().IndexOf(2)),
            ["wave3_devices"] = assigned.Count(w => w == 2).ToString(CultureInfo.InvariantCulture),
        };
    }
}
