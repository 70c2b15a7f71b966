using System.CommandLine;
using Edge.CommandLine;
using Edge.Fleet.Connection;
using Edge.Optimizer.Search.Device;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>The options <c>auto --target device:ID|group:NAME</c> reaches the fleet with, defaulting to edge-fleet's environment variables.</summary>
internal static class AutoDeviceOptions
{
    public static Option<string> Broker { get; } = new("--broker") { Description = "Device target: MQTT broker host or host:port (default $EDGE_FLEET_BROKER or localhost).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EDGE_FLEET_BROKER") ?? "localhost" };

    public static Option<string?> Fleet { get; } = new("--fleet") { Description = "Device target: the fleet id (default $EDGE_FLEET)." };

    public static Option<string?> Username { get; } = new("--username") { Description = "Device target: broker user name." };

    public static Option<string?> Password { get; } = new("--password") { Description = "Device target: broker password (prefer $EDGE_FLEET_PASSWORD)." };

    public static Option<string?> JobKey { get; } = new("--job-key") { Description = "Device target: the operator key (PEM) that signs bench jobs (default $EDGE_FLEET_JOB_KEY)." };

    public static Option<string?> SignKey { get; } = new("--sign-key") { Description = "Device target: the key (PEM) candidate packages are signed with; devices must trust it." };

    public static Option<string?> FleetStore { get; } = new("--fleet-store") { Description = "group:NAME target: edge-fleet's store with the group, sqlite:PATH or postgres:CONNECTION-STRING (default $EDGE_FLEET_STORE or ~/.edge-fleet/state.db)." };

    public static Option<string> DeviceTimeout { get; } = new("--device-timeout") { Description = "Device target: how long one device may take for one candidate before auto goes on without it, as edge-fleet takes durations: 90s, 10m, 1h (a bare number is seconds; default 10m).", DefaultValueFactory = _ => "10m" };

    public static DeviceTargetOptions From(ParseResult parse)
    {
        var address = parse.GetValue(Broker)!;
        string host;
        int? port = null;
        var colon = address.LastIndexOf(':');
        if (colon > 0 && int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            host = address[..colon];
            port = parsed;
        }
        else
        {
            host = address;
        }

        var timeoutText = parse.GetValue(DeviceTimeout)!;
        var timeout = CliDuration.Parse(timeoutText, "--device-timeout");
        if (timeout <= TimeSpan.Zero)
        {
            throw new CliUsageException($"--device-timeout '{timeoutText}' is not a positive duration; expected for example 90s, 10m or 1h.");
        }


        return new DeviceTargetOptions
        {
            Broker = new BrokerOptions
            {
                Host = host,
                Port = port,
                Username = parse.GetValue(Username),
                Password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("EDGE_FLEET_PASSWORD"),
                // auto goes on without the devices when the broker is away, so it waits less for it than edge-fleet does.
                ConnectRetryFor = TimeSpan.FromSeconds(10),
            },
            Fleet = parse.GetValue(Fleet) ?? Environment.GetEnvironmentVariable("EDGE_FLEET"),
            JobKeyPath = parse.GetValue(JobKey) ?? Environment.GetEnvironmentVariable("EDGE_FLEET_JOB_KEY"),
            SignKeyPath = parse.GetValue(SignKey),
            Store = parse.GetValue(FleetStore),
            Timeout = timeout,
        };
    }
}
