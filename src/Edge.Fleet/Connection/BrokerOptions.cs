using Edge.Sdk.IO;

namespace Edge.Fleet.Connection;

/// <summary>
/// How edge-fleet reaches the MQTT broker. MQTT 5 by default; TLS pins <see cref="CaFile"/> as the only trusted root;
/// mTLS adds a client certificate. See docs/fleet.md for Mosquitto and clustered brokers.
/// </summary>
public sealed class BrokerOptions
{
    /// <summary>Broker host name or address. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>TCP port, 1 to 65535. Default 1883, or 8883 with TLS when not set.</summary>
    public int? Port { get; set; }

    /// <summary><c>5</c> (default) or <c>3.1.1</c>.</summary>
    public string ProtocolVersion { get; set; } = "5";

    /// <summary>
    /// Client id; default <c>edge-fleet-{role}-{random}</c>, unique per run so two tools never take over each other's
    /// session. A <see cref="PersistentSession"/> needs a fixed one (the same id finds the same session after a restart).
    /// </summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Clean Start = false with <see cref="SessionExpiry"/> (3.1.1: Clean Session = false): the broker keeps the
    /// subscriptions and queues QoS 1 messages while the tool is away (broker or tool restart) and delivers them when it
    /// returns with the same <see cref="ClientId"/>. Default false (a clean session).
    /// </summary>
    public bool PersistentSession { get; set; }

    /// <summary>How long the broker keeps a <see cref="PersistentSession"/> after the tool left (MQTT 5). Default 1 day; 1 s to 136 years.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(1);

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool Tls { get; set; }

    /// <summary>PEM CA that signed the broker certificate (pinned). Required with TLS.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for mTLS; needs <see cref="KeyFile"/>.</summary>
    public string? CertificateFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>
    /// Shared-subscription group for telemetry ingestion (<c>$share/{group}/edge/{fleet}/+/telemetry</c>), so several
    /// edge-fleet instances split the stream on a clustered broker. Null: a plain subscription.
    /// </summary>
    public string? SharedSubscriptionGroup { get; set; }

    /// <summary>How long to keep retrying an unreachable broker before giving up. Default 30 seconds.</summary>
    public TimeSpan ConnectRetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one connect attempt. Default 5 seconds.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int EffectivePort => Port ?? (Tls ? 8883 : 1883);

    /// <summary>
    /// A copy for another connection of the same tool: the same broker, protocol, credentials, TLS and timeouts,
    /// connecting as <paramref name="clientId"/> with a clean session and no shared-subscription group.
    /// </summary>
    public BrokerOptions ForClient(string clientId) => new()
    {
        Host = Host,
        Port = Port,
        ProtocolVersion = ProtocolVersion,
        ClientId = clientId,
        Username = Username,
        Password = Password,
        Tls = Tls,
        CaFile = CaFile,
        CertificateFile = CertificateFile,
        KeyFile = KeyFile,
        ConnectRetryFor = ConnectRetryFor,
        ConnectTimeout = ConnectTimeout,
    };

    /// <summary>Every problem with the settings, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("--broker: the host is empty; expected a host name or address.");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add($"--port: {Port} is outside 1..65535.");
        }

        if (ProtocolVersion is not ("5" or "3.1.1"))
        {
            errors.Add($"--mqtt-version: '{ProtocolVersion}' is not supported; expected 5 or 3.1.1.");
        }

        if (Password is not null && string.IsNullOrEmpty(Username))
        {
            errors.Add("--password was given without --username.");
        }

        if (Tls && string.IsNullOrEmpty(CaFile))
        {
            errors.Add("--tls needs --ca-file (the CA that signed the broker certificate).");
        }

        if (!Tls && (CaFile ?? CertificateFile ?? KeyFile) is not null)
        {
            errors.Add("--ca-file/--cert-file/--key-file were given without --tls.");
        }

        if (string.IsNullOrEmpty(CertificateFile) != string.IsNullOrEmpty(KeyFile))
        {
            errors.Add("--cert-file and --key-file go together (mTLS client certificate and its key).");
        }

        foreach (var (name, file) in new[] { ("--ca-file", CaFile), ("--cert-file", CertificateFile), ("--key-file", KeyFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                errors.Add($"{name}: '{file}' {PathProblem.ForFile(file)}.");
            }
        }

        if (SharedSubscriptionGroup is { } group && !TopicScheme.IsSingleLevel(group))
        {
            errors.Add($"--share-group: '{group}' must be non-empty without '/', '+' or '#'.");
        }

        if (PersistentSession && string.IsNullOrEmpty(ClientId))
        {
            errors.Add("A persistent session needs a fixed client id (--client-id); a random one would never find its session again.");
        }

        if (ClientId is { } id && (id.Length is 0 or > 128 || id.Any(c => c is '/' or '+' or '#' || char.IsControl(c))))
        {
            errors.Add($"--client-id: '{id}' must be 1 to 128 characters without '/', '+', '#' or control characters.");
        }

        if (SessionExpiry < TimeSpan.FromSeconds(1) || SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            errors.Add($"Session expiry {SessionExpiry} is outside 1 s to {uint.MaxValue} s.");
        }

        if (ConnectRetryFor < TimeSpan.Zero)
        {
            errors.Add($"--connect-retry: {ConnectRetryFor} is negative.");
        }

        return errors;
    }
}
