using System.CommandLine;

namespace Edge.Samples.Hosting;

/// <summary>The command-line options both samples take for the embedded agent (<see cref="AgentSettings"/>).</summary>
public sealed class AgentCommandLine
{
    private readonly Option<string> _broker = new("--broker") { Description = "MQTT broker, host or host:port.", DefaultValueFactory = _ => "localhost:1883" };
    private readonly Option<string> _fleet = new("--fleet") { Description = "Fleet id (one topic level).", DefaultValueFactory = _ => "samples" };
    private readonly Option<string> _device = new("--device-id") { Description = "Device id (one topic level); default: the host name.", DefaultValueFactory = _ => Environment.MachineName };
    private readonly Option<string> _data = new("--data-dir") { Description = "Folder for the telemetry outbox and OTA slots.", DefaultValueFactory = _ => "edge-data" };
    private readonly Option<double> _interval = new("--telemetry-interval") { Description = "Seconds between telemetry samples.", DefaultValueFactory = _ => 10 };
    private readonly Option<string?> _otaKey = new("--ota-key") { Description = "Public key (PEM) OTA packages must be signed with; turns OTA on." };
    private readonly Option<string?> _otaJobKey = new("--ota-job-key") { Description = "Operator public key (PEM) OTA job documents must be signed with (edge-fleet --job-key); required with --ota-key." };
    private readonly Option<string?> _otaPackage = new("--ota-package") { Description = "Signed .edgepkg installed into slot A on first start (with --ota-key)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_broker);
        command.Options.Add(_fleet);
        command.Options.Add(_device);
        command.Options.Add(_data);
        command.Options.Add(_interval);
        command.Options.Add(_otaKey);
        command.Options.Add(_otaJobKey);
        command.Options.Add(_otaPackage);
    }

    /// <summary>Reads the parsed values.</summary>
    public AgentSettings Read(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var seconds = parseResult.GetValue(_interval);
        return new AgentSettings
        {
            Broker = parseResult.GetValue(_broker)!,
            FleetId = parseResult.GetValue(_fleet)!,
            DeviceId = parseResult.GetValue(_device)!,
            DataDirectory = parseResult.GetValue(_data)!,
            TelemetryInterval = double.IsFinite(seconds) && seconds is > 0 and < 86_400 ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero,
            OtaTrustedKeyFile = parseResult.GetValue(_otaKey),
            OtaJobKeyFile = parseResult.GetValue(_otaJobKey),
            OtaInitialPackage = parseResult.GetValue(_otaPackage),
        };
    }
}
