namespace Edge.TestUtilities.Mqtt;

/// <summary>A real MQTT broker on a loopback port, owned by one test.</summary>
public interface ITestBroker : IAsyncDisposable
{
    /// <summary>Short name for test output: <c>mosquitto</c> or <c>mqttnet</c>.</summary>
    string Kind { get; }

    /// <summary>Always <c>127.0.0.1</c>.</summary>
    string Host { get; }

    /// <summary>The listener port, the same after a restart.</summary>
    int Port { get; }

    /// <summary>Stops the broker abruptly (kill -9 for Mosquitto) so clients see a dropped connection.</summary>
    Task KillAsync();

    /// <summary>Starts the broker again on the same port.</summary>
    Task StartAgainAsync(CancellationToken cancellationToken);
}
