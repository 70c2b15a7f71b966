using Edge.Agent.LocalHttp;
using Edge.Agent.Tests.LocalHttp.Support;
using Edge.Agent.Tests.Ota.Support;
using Edge.Agent.Tests.Support;
using Edge.TestUtilities.Mqtt;

namespace Edge.Agent.Tests.LocalHttp;

/// <summary>/healthz and /readyz on an in-process agent against a real Mosquitto that is stopped under it.</summary>
public sealed class HealthProbeTests
{
    private static Action<EdgeAgentOptions> WithHttp(Action<EdgeAgentOptions>? more = null) => o =>
    {
        o.Http.Enabled = true;
        o.Http.Urls = ["http://127.0.0.1:0"];
        more?.Invoke(o);
    };

    private static LocalHttpClient Client(AgentHarness agent) => new(agent.Get<LocalHttpServer>().Addresses.Single());

    [Fact]
    public async Task Readyz_BrokerStopped_Turns503WhileHealthzStays200()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentHarness.StartAsync(broker.Host, broker.Port, "dev-probe-broker", WithHttp());
        using var client = Client(agent);

        var ready = await client.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(20));
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());

        await broker.TerminateAsync();
        var notReady = await client.WaitForStatusAsync("/readyz", 503, TimeSpan.FromSeconds(20));
        var (live, liveness) = await client.GetAsync("/healthz");

        Assert.Equal("Unhealthy", notReady.GetProperty("status").GetString());
        var brokerCheck = notReady.GetProperty("checks").GetProperty("broker");
        Assert.Equal("Unhealthy", brokerCheck.GetProperty("status").GetString());
        Assert.Contains($"not connected to {broker.Host}:{broker.Port}", brokerCheck.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", notReady.GetProperty("checks").GetProperty("model").GetProperty("status").GetString());
        Assert.Equal(200, live);
        Assert.Equal("Healthy", liveness.GetProperty("checks").GetProperty("loops").GetProperty("status").GetString());

        await broker.StartAgainAsync(CancellationToken.None);
        await client.WaitForStatusAsync("/readyz", 200, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Readyz_OtaOnWithoutModel_503NamingTheModelCheck()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        using var packages = new OtaPackages();
        var data = Path.Combine(packages.Root, "agent-data");
        await using var agent = await AgentHarness.StartAsync(broker.Host, broker.Port, "dev-probe-model", WithHttp(o =>
        {
            o.Ota.Enabled = true;
            o.Ota.DataDirectory = data;
            o.Ota.TrustedKeyFiles = [packages.PublicKeyPath];
            o.Ota.TrustedJobKeyFiles = [packages.OperatorPublicKeyPath];
        }));
        using var client = Client(agent);

        // Wait for the broker, so the only reason left is the model.
        await MqttTestClient.WaitUntilAsync(() => agent.Get<Edge.Agent.Mqtt.MqttConnection>().IsConnected, TimeSpan.FromSeconds(20), () => "the agent connected");
        var (status, ready) = await client.GetAsync("/readyz");
        var (live, _) = await client.GetAsync("/healthz");

        Assert.Equal(503, status);
        var model = ready.GetProperty("checks").GetProperty("model");
        Assert.Equal("Unhealthy", model.GetProperty("status").GetString());
        Assert.Contains("no model is loaded", model.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal(200, live);
    }

    [Fact]
    public async Task Start_HttpDisabled_NoServerListens()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = await AgentHarness.StartAsync(broker.Host, broker.Port, "dev-probe-off", o => o.Http.Urls = ["http://127.0.0.1:0"]);

        Assert.Empty(agent.Get<LocalHttpServer>().Addresses);
    }
}
