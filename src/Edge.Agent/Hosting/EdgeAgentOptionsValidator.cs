using System.Globalization;
using Edge.Agent.Mqtt;
using Edge.Agent.Telemetry;
using Edge.Sdk.IO;
using Microsoft.Extensions.Options;

namespace Edge.Agent.Hosting;

/// <summary>Checks every setting and reports all problems in one failure, so a misconfigured device is fixed in one go.</summary>
internal sealed class EdgeAgentOptionsValidator : IValidateOptions<EdgeAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeAgentOptions options)
    {
        var errors = new List<string>();
        CheckTopicLevel(errors, "FleetId", options.FleetId);
        CheckTopicLevel(errors, "DeviceId", options.DeviceId);
        CheckMqtt(errors, options.Mqtt);
        CheckTelemetry(errors, options.Telemetry);

        if (string.IsNullOrWhiteSpace(options.Outbox.Path))
        {
            errors.Add("Outbox:Path must name a database file; it is empty.");
        }
        else if (Directory.Exists(options.Outbox.Path))
        {
            errors.Add($"Outbox:Path '{options.Outbox.Path}' is a folder; it must name a database file, for example '{Path.Combine(options.Outbox.Path, "outbox.db")}'.");
        }

        CheckRange(errors, "Outbox:MaxBytes", options.Outbox.MaxBytes, 4096, 1L << 30);
        CheckRange(errors, "Commands:MaxPayloadBytes", options.Commands.MaxPayloadBytes, 64, 1 << 20);
        CheckRange(errors, "Commands:DiagnosticLogCapacity", options.Commands.DiagnosticLogCapacity, 10, 10_000);

        for (var i = 0; i < options.Device.Models.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Device.Models[i].Name))
            {
                errors.Add($"Device:Models:{i}:Name must not be empty.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A topic level must not contain MQTT wildcards or separators, or one device could address another's topics.</summary>
    internal static bool IsValidTopicLevel(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static void CheckTopicLevel(List<string> errors, string name, string value)
    {
        if (!IsValidTopicLevel(value ?? string.Empty))
        {
            errors.Add($"{name} must be 1 to 64 characters of letters, digits, '-' or '_'; got '{value}'.");
        }
    }

    private static void CheckMqtt(List<string> errors, MqttOptions mqtt)
    {
        if (string.IsNullOrWhiteSpace(mqtt.Host))
        {
            errors.Add("Mqtt:Host must name the broker; it is empty.");
        }

        CheckRange(errors, "Mqtt:Port", mqtt.Port, 1, 65535);
        if (!MqttProtocol.TryParse(mqtt.ProtocolVersion, out _))
        {
            errors.Add($"Mqtt:ProtocolVersion must be '5' or '3.1.1'; got '{mqtt.ProtocolVersion}'.");
        }

        if (mqtt.Password is not null && string.IsNullOrEmpty(mqtt.Username))
        {
            errors.Add("Mqtt:Password is set but Mqtt:Username is empty; MQTT sends a password only with a user name.");
        }

        CheckTime(errors, "Mqtt:KeepAlive", mqtt.KeepAlive, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(ushort.MaxValue));
        CheckTime(errors, "Mqtt:SessionExpiry", mqtt.SessionExpiry, TimeSpan.Zero, TimeSpan.FromSeconds(uint.MaxValue - 1));
        CheckTime(errors, "Mqtt:ConnectTimeout", mqtt.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        CheckTime(errors, "Mqtt:ReconnectMinDelay", mqtt.ReconnectMinDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        CheckTime(errors, "Mqtt:ReconnectMaxDelay", mqtt.ReconnectMaxDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        CheckTime(errors, "Mqtt:HealthCheckInterval", mqtt.HealthCheckInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1));
        if (mqtt.ReconnectMaxDelay < mqtt.ReconnectMinDelay)
        {
            errors.Add($"Mqtt:ReconnectMaxDelay ({mqtt.ReconnectMaxDelay}) must not be less than Mqtt:ReconnectMinDelay ({mqtt.ReconnectMinDelay}).");
        }

        var tls = mqtt.Tls;
        if (tls.Enabled)
        {
            CheckFile(errors, "Mqtt:Tls:CaFile", tls.CaFile, required: true);
            CheckFile(errors, "Mqtt:Tls:CertificateFile", tls.CertificateFile, required: !string.IsNullOrEmpty(tls.KeyFile));
            CheckFile(errors, "Mqtt:Tls:KeyFile", tls.KeyFile, required: !string.IsNullOrEmpty(tls.CertificateFile));
        }
        else if (!string.IsNullOrEmpty(tls.CaFile) || !string.IsNullOrEmpty(tls.CertificateFile))
        {
            errors.Add("Mqtt:Tls:CaFile or CertificateFile is set but Mqtt:Tls:Enabled is false; enable TLS or remove them.");
        }
    }

    private static void CheckTelemetry(List<string> errors, TelemetryOptions telemetry)
    {
        CheckTime(errors, "Telemetry:Interval", telemetry.Interval, TelemetrySchedule.MinimumInterval, TelemetrySchedule.MaximumInterval);
        CheckRange(errors, "Telemetry:BatchSize", telemetry.BatchSize, 1, 1000);
        CheckRange(errors, "Telemetry:MaxInFlight", telemetry.MaxInFlight, 1, 1000);
        if (!PayloadCompression.TryParse(telemetry.Compression, out _))
        {
            errors.Add($"Telemetry:Compression must be 'none' or 'gzip'; got '{telemetry.Compression}'.");
        }

        if (string.IsNullOrWhiteSpace(telemetry.SystemRoot))
        {
            errors.Add("Telemetry:SystemRoot must name a folder; it is empty.");
        }
    }

    private static void CheckFile(List<string> errors, string name, string? path, bool required)
    {
        if (string.IsNullOrEmpty(path))
        {
            if (required)
            {
                errors.Add($"{name} is required with the TLS settings given.");
            }
        }
        else if (!File.Exists(path))
        {
            errors.Add($"{name} '{path}' {PathProblem.ForFile(path)}.");
        }
    }

    private static void CheckRange(List<string> errors, string name, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}; got {value}."));
        }
    }

    private static void CheckTime(List<string> errors, string name, TimeSpan value, TimeSpan minimum, TimeSpan maximum)
    {
        if (value < minimum || value > maximum)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between {minimum} and {maximum}; got {value}."));
        }
    }
}
