namespace Edge.Agent;

/// <summary>
/// A Prometheus scrape endpoint on the agent's own listener (<see cref="OpenTelemetryOptions"/>). It listens on the
/// loopback interface only (<c>http://localhost:{Port}{Path}</c>), for a collector or Prometheus agent on the device.
/// Used only when <see cref="OpenTelemetryOptions.Enabled"/>.
/// </summary>
public sealed class PrometheusExportOptions
{
    /// <summary>Serve the scrape endpoint. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>TCP port, 1 to 65535. Default 9464 (the OpenTelemetry Prometheus exporter's usual port).</summary>
    public int Port { get; set; } = 9464;

    /// <summary>The scrape path, starting with '/'. Default <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";
}
