using System.Text;
using System.Text.Json;
using Edge.TestUtilities.Mqtt;
using MQTTnet;

namespace Edge.Agent.Tests.Hosting;

/// <summary>
/// Commands under load against a real Mosquitto: every request is answered exactly once, run or refused as
/// <c>busy</c>, however many arrive at once; an unknown schema version is refused with its own code.
/// </summary>
public sealed class CommandFloodTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Commands_FiveHundredPingsAtOnce_EachAnsweredOnceOkOrBusy()
    {
        await using var agent = await AgentHarness.StartAsync(_broker.Host, _broker.Port, "dev-flood");
        await WaitConnectedAsync(agent);
        await using var operatorClient = await MqttTestClient.ConnectAsync(_broker.Host, _broker.Port, "operator-flood");
        const string Responses = "edge/fleet1/dev-flood/cmd/response";
        await operatorClient.SubscribeAsync(Responses);

        const int Count = 500;
        var publishes = Enumerable.Range(0, Count).Select(i => operatorClient.PublishAsync("edge/fleet1/dev-flood/cmd/ping", "{\"schema\":\"edge.command/1\"}",
            b => b.WithResponseTopic(Responses).WithCorrelationData(Encoding.UTF8.GetBytes($"p{i}"))));
        await Task.WhenAll(publishes);
        await MqttTestClient.WaitUntilAsync(() => operatorClient.Received.Count(m => m.Topic == Responses) >= Count, Timeout,
            () => $"{operatorClient.Received.Count(m => m.Topic == Responses)} of {Count} responses");
        await Task.Delay(500); // a second answer to any request would arrive now

        var responses = operatorClient.Received.Where(m => m.Topic == Responses).ToList();
        Assert.Equal(Count, responses.Count);
        Assert.Equal(Count, responses.Select(m => Encoding.UTF8.GetString(m.CorrelationData!)).Distinct().Count());
        var outcomes = responses.Select(MqttTestClient.Json).Select(r => r.GetProperty("ok").GetBoolean() ? "ok" : r.GetProperty("error").GetProperty("code").GetString()).ToList();
        Assert.All(outcomes, o => Assert.True(o is "ok" or "busy", $"unexpected outcome {o}"));
        Assert.Contains("ok", outcomes);
        var busy = responses.Select(MqttTestClient.Json).FirstOrDefault(r => !r.GetProperty("ok").GetBoolean());
        if (busy.ValueKind == JsonValueKind.Object)
        {
            Assert.Contains("one at a time", busy.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Commands_UnknownSchemaVersion_RefusedWithItsOwnCode()
    {
        await using var agent = await AgentHarness.StartAsync(_broker.Host, _broker.Port, "dev-schema");
        await WaitConnectedAsync(agent);
        await using var operatorClient = await MqttTestClient.ConnectAsync(_broker.Host, _broker.Port, "operator-schema");
        const string Responses = "edge/fleet1/dev-schema/cmd/response";
        await operatorClient.SubscribeAsync(Responses);

        await operatorClient.PublishAsync("edge/fleet1/dev-schema/cmd/ping", "{\"schema\":\"edge.command/99\",\"correlationId\":\"s1\"}",
            b => b.WithResponseTopic(Responses).WithCorrelationData(Encoding.UTF8.GetBytes("s1")));
        var response = MqttTestClient.Json(await operatorClient.WaitForAsync(m => m.Topic == Responses, Timeout, "schema response"));

        Assert.False(response.GetProperty("ok").GetBoolean());
        Assert.Equal("unsupported-schema", response.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("edge.command/99", response.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task WaitConnectedAsync(AgentHarness agent)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await agent.Get<Edge.Agent.Mqtt.MqttConnection>().WhenConnectedAsync(timeout.Token);
    }
}
