using Edge.Fleet.Connection;
using MQTTnet;

namespace Edge.Fleet.Tests.Connection;

/// <summary>
/// The MQTT client options every edge-fleet connection is built with. The throughput they allow is measured by the
/// fleet-scale benchmark, never here; this pins the setting whose loss the benchmark found.
/// </summary>
public sealed class BrokerClientOptionsTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_PlainOrPersistent_UsesOneMebibyteSocketBuffers(bool persistent)
    {
        var options = BrokerClientOptions.Build(new BrokerOptions { Host = "127.0.0.1", Port = 1883, PersistentSession = persistent }, "edge-fleet-test", null);

        var tcp = Assert.IsType<MqttClientTcpOptions>(options.ChannelOptions);
        Assert.Equal(1024 * 1024, tcp.BufferSize); // MQTTnet's 8 KiB default pins the TCP window at one segment under a backlog
        Assert.Equal(!persistent, options.CleanSession);
    }
}
