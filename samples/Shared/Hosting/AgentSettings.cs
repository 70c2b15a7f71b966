using System.Globalization;
using Edge.Agent;

namespace Edge.Samples.Hosting;

/// <summary>
/// The embedded agent's settings that the samples take from their command line. Everything else keeps
/// <see cref="EdgeAgentOptions"/>' defaults and can still be set in <c>appsettings.json</c> under <c>EdgeAgent</c>.
/// </summary>
public sealed record AgentSettings
{
    /// <summary>Fleet id (one MQTT topic level). Default <c>samples</c>.</summary>
    public string FleetId { get; init; } = "samples";

    /// <summary>Device id (one MQTT topic level). Default: the host name.</summary>
    public string DeviceId { get; init; } = Environment.MachineName;

    /// <summary>Broker as <c>host</c> or <c>host:port</c>. Default <c>localhost:1883</c>.</summary>
    public string Broker { get; init; } = "localhost:1883";

    /// <summary>Folder for the outbox database and, with OTA, the A/B slots. Default <c>./edge-data</c>.</summary>
    public string DataDirectory { get; init; } = "edge-data";

    /// <summary>Time between telemetry samples. Default 10 s.</summary>
    public TimeSpan TelemetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Public key (PEM) that OTA packages must be signed with; OTA is on when this is set.</summary>
    public string? OtaTrustedKeyFile { get; init; }

    /// <summary>Operator public key (PEM) that OTA job documents must be signed with (edge-fleet --job-key signs them); required with <see cref="OtaTrustedKeyFile"/>.</summary>
    public string? OtaJobKeyFile { get; init; }

    /// <summary>Package installed into slot A on first start when OTA is on; optional.</summary>
    public string? OtaInitialPackage { get; init; }

    /// <summary>Problems with these settings, each naming the value; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!TryParseBroker(Broker, out _, out _))
        {
            errors.Add($"--broker '{Broker}' is not host or host:port with a port from 1 to 65535.");
        }

        if (TelemetryInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"--telemetry-interval {TelemetryInterval} is shorter than the agent's minimum of 100 ms.");
        }

        if (OtaInitialPackage is not null && OtaTrustedKeyFile is null)
        {
            errors.Add("--ota-package needs --ota-key: OTA accepts only signed packages.");
        }

        if (OtaTrustedKeyFile is not null && OtaJobKeyFile is null)
        {
            errors.Add("--ota-key needs --ota-job-key: the agent runs only job documents signed by the operator key (docs/protocol.md, Signed jobs).");
        }

        return errors;
    }

    /// <summary>Writes these settings into the agent's options.</summary>
    public void Apply(EdgeAgentOptions options, string provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = TryParseBroker(Broker, out var host, out var port);
        options.FleetId = FleetId;
        options.DeviceId = DeviceId;
        options.Mqtt.Host = host;
        options.Mqtt.Port = port;
        options.Telemetry.Interval = TelemetryInterval;
        options.Outbox.Path = Path.Combine(DataDirectory, "outbox.db");
        if (OtaTrustedKeyFile is not null)
        {
            options.Ota.Enabled = true;
            options.Ota.DataDirectory = Path.Combine(DataDirectory, "ota");
            options.Ota.TrustedKeyFiles = [OtaTrustedKeyFile];
            options.Ota.TrustedJobKeyFiles = OtaJobKeyFile is null ? [] : [OtaJobKeyFile];
            options.Ota.InitialPackage = OtaInitialPackage;
            options.Ota.Provider = provider;
        }
    }

    private static bool TryParseBroker(string broker, out string host, out int port)
    {
        host = broker;
        port = 1883;
        var colon = broker.LastIndexOf(':');
        if (colon >= 0)
        {
            host = broker[..colon];
            if (!int.TryParse(broker.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }
        }

        return host.Length > 0;
    }
}
