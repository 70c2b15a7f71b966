using System.CommandLine;

namespace Edge.Fleet.Cli.Commands;

/// <summary>The broker and fleet options shared by the OTA commands.</summary>
internal sealed class BrokerOptions
{
    public Option<string> Broker { get; } = new("--broker") { Description = "MQTT broker, host[:port].", DefaultValueFactory = _ => "127.0.0.1:1883" };

    public Option<string> Fleet { get; } = new("--fleet") { Description = "Fleet id (the {fleet} topic level).", Required = true };

    public Option<string?> User { get; } = new("--user") { Description = "MQTT user name (for example edge-operator)." };

    public Option<string?> Password { get; } = new("--password") { Description = "MQTT password; prefer the EDGE_FLEET_MQTT_PASSWORD environment variable." };

    public void AddTo(Command command)
    {
        command.Options.Add(Broker);
        command.Options.Add(Fleet);
        command.Options.Add(User);
        command.Options.Add(Password);
    }

    public string? PasswordFrom(ParseResult parseResult) =>
        parseResult.GetValue(Password) ?? Environment.GetEnvironmentVariable("EDGE_FLEET_MQTT_PASSWORD");
}
