using System.Collections.Concurrent;
using Edge.Agent.Storage;

namespace Edge.Agent.Tests.Hosting;

/// <summary>
/// The broker suite against Mosquitto, plus the broker-restart test, which needs a broker that can be killed -9
/// and keeps sessions across the restart (Mosquitto persistence).
/// </summary>
public sealed class EdgeAgentMosquittoTests : EdgeAgentBrokerTests
{
    [Fact]
    public async Task Delivery_MosquittoKilledAndRestartedMidStream_EveryMessageArrivesExactlyOnceAfterDeduplication()
    {
        const int Count = 10_000;
        await using var broker = await MosquittoBroker.StartAsync(persistence: true);
        const string Topic = "edge/fleet1/dev-restart/telemetry";

        // A persistent-session subscriber: the broker queues for it while it reconnects after the restart.
        await using var subscriber = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, "sub-restart", persistentSession: true);
        await subscriber.SubscribeAsync(Topic);
        await Task.Delay(1500); // autosave_interval is 1 s: let the session reach the persistence file before the kill.

        await using var agent = await AgentHarness.StartAsync(broker.Host, broker.Port, "dev-restart", o =>
        {
            o.Telemetry.BatchSize = 1;
            o.Outbox.MaxBytes = 64L * 1024 * 1024;
        });
        var outbox = agent.Get<SqliteOutbox>();

        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i += 100)
            {
                await outbox.EnqueueAsync(Enumerable.Range(i, 100).Select(Payload).ToArray(), CancellationToken.None);
                await Task.Delay(5);
            }
        });

        using var stop = new CancellationTokenSource();
        var reconnecting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!subscriber.Client.IsConnected)
                {
                    await subscriber.ReconnectAsync(TimeSpan.FromSeconds(30));
                }

                await Task.Delay(50);
            }
        });

        await MqttTestClient.WaitUntilAsync(() => subscriber.Received.Count >= Count / 3, Timeout, () => $"a third of the stream; got {subscriber.Received.Count}");
        var beforeKill = subscriber.Received.Count;
        await broker.KillAsync();
        await Task.Delay(500);
        await broker.StartAgainAsync(CancellationToken.None);
        await producer;

        var expected = Enumerable.Range(1, Count).Select(i => (long)i).ToHashSet();
        var seen = new ConcurrentDictionary<long, int>();
        await MqttTestClient.WaitUntilAsync(
            () =>
            {
                seen.Clear();
                foreach (var message in subscriber.Received.ToArray())
                {
                    foreach (var sequence in TelemetryMessages.Sequences(message))
                    {
                        seen.AddOrUpdate(sequence, 1, (_, n) => n + 1);
                    }
                }

                return expected.IsSubsetOf(seen.Keys);
            },
            TimeSpan.FromSeconds(60),
            () => $"all {Count} ids; have {seen.Count}, first missing {expected.Except(seen.Keys).Order().FirstOrDefault()}; broker log:\n{broker.Log}");
        await stop.CancelAsync();
        await reconnecting;

        Assert.True(beforeKill < Count, $"The kill came after the whole stream ({beforeKill} of {Count}); it must hit mid-stream.");
        Assert.True(seen.Keys.ToHashSet().SetEquals(expected), $"Ids outside 1..{Count}: {string.Join(", ", seen.Keys.Except(expected).Take(10))}");
        Assert.Equal(0, outbox.Statistics.DroppedTotal);
    }

    protected override async Task<ITestBroker> StartBrokerAsync() => await MosquittoBroker.StartAsync();
}
