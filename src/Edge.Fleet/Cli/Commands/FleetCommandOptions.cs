using System.CommandLine;
using System.Globalization;
using Edge.Fleet.Connection;
using Edge.Fleet.Storage;

namespace Edge.Fleet.Cli.Commands;

/// <summary>Options every edge-fleet command shares: the state store, the fleet id and the broker connection.</summary>
internal static class FleetCommandOptions
{
    public static Option<string?> State { get; } = new("--state") { Description = "SQLite state file, short for --store sqlite:PATH (default $EDGE_FLEET_STATE or ~/.edge-fleet/state.db).", Recursive = true };

    public static Option<string?> Store { get; } = new("--store")
    {
        Description = "State store: sqlite:PATH (the default, as --state) or postgres:CONNECTION-STRING, e.g. postgres:Host=db;Database=fleet;Username=edge (default $EDGE_FLEET_STORE).",
        Recursive = true,
    };

    public static Option<string?> Fleet { get; } = new("--fleet") { Description = "Fleet id, the {fleet} topic level (default $EDGE_FLEET).", Recursive = true };

    public static Option<string> Broker { get; } = new("--broker") { Description = "MQTT broker host or host:port (default $EDGE_FLEET_BROKER or localhost).", Recursive = true, DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EDGE_FLEET_BROKER") ?? "localhost" };

    public static Option<int?> Port { get; } = new("--port") { Description = "Broker port (default 1883, 8883 with --tls).", Recursive = true };

    public static Option<bool> Tls { get; } = new("--tls") { Description = "Use TLS (needs --ca-file).", Recursive = true };

    public static Option<string?> CaFile { get; } = new("--ca-file") { Description = "PEM CA of the broker certificate (pinned).", Recursive = true };

    public static Option<string?> CertFile { get; } = new("--cert-file") { Description = "PEM client certificate (mTLS).", Recursive = true };

    public static Option<string?> KeyFile { get; } = new("--key-file") { Description = "PEM key of --cert-file.", Recursive = true };

    public static Option<string?> Username { get; } = new("--username", "--user") { Description = "Broker user name (e.g. edge-operator).", Recursive = true };

    public static Option<string?> Password { get; } = new("--password") { Description = "Broker password (prefer $EDGE_FLEET_PASSWORD or $EDGE_FLEET_MQTT_PASSWORD).", Recursive = true };

    public static Option<string> MqttVersion { get; } = new("--mqtt-version") { Description = "5 (default) or 3.1.1.", Recursive = true, DefaultValueFactory = _ => "5" };

    public static Option<string?> ShareGroup { get; } = new("--share-group") { Description = "Ingest telemetry through the shared subscription $share/<group>/... (clustered brokers).", Recursive = true };

    public static Option<double> ConnectRetry { get; } = new("--connect-retry") { Description = "Seconds to keep retrying an unreachable broker (default 30).", Recursive = true, DefaultValueFactory = _ => 30 };

    public static Option<string?> JobKey { get; } = new("--job-key")
    {
        Description = "Operator private key (PEM, EC P-256) that signs OTA job documents; devices trust its public key in Ota:TrustedJobKeyFiles (default $EDGE_FLEET_JOB_KEY).",
        Recursive = true,
    };

    public static Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = "MQTT client id. monitor keeps a persistent session under a fixed id (default edge-fleet-monitor-{hash of fleet and state file}); give each concurrent instance its own.",
        Recursive = true,
    };

    public static IEnumerable<Option> All =>
        [State, Store, Fleet, Broker, Port, Tls, CaFile, CertFile, KeyFile, Username, Password, MqttVersion, ShareGroup, ConnectRetry, JobKey, ClientId];

    /// <summary>
    /// The store: <c>--store</c>, else <c>--state</c> (a SQLite path), else <c>$EDGE_FLEET_STORE</c>, else the default
    /// SQLite file (<c>$EDGE_FLEET_STATE</c> or ~/.edge-fleet/state.db).
    /// </summary>
    /// <exception cref="CliUsageException">Both options were given, or the store is not a valid spec.</exception>
    public static StoreSpec StoreSpec(ParseResult parse)
    {
        var store = parse.GetValue(Store);
        var state = parse.GetValue(State);
        try
        {
            return (store, state) switch
            {
                (not null, not null) => throw new CliUsageException(
                    "--store and --state both name the state store; give one (--state PATH is short for --store sqlite:PATH)."),
                (not null, null) => Storage.StoreSpec.Parse(store, "--store"),
                (null, not null) => Storage.StoreSpec.Sqlite(state),
                _ when Environment.GetEnvironmentVariable("EDGE_FLEET_STORE") is { Length: > 0 } fromEnvironment => Storage.StoreSpec.Parse(fromEnvironment, "EDGE_FLEET_STORE"),
                _ => Storage.StoreSpec.Default,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new CliUsageException(e.Message);
        }
    }

    /// <summary>Opens the store <see cref="StoreSpec"/> names; the caller disposes it.</summary>
    public static Task<IFleetStore> OpenStoreAsync(ParseResult parse, TimeProvider time, CancellationToken cancellationToken) =>
        FleetStore.OpenAsync(StoreSpec(parse), time, cancellationToken);

    /// <exception cref="CliUsageException">No fleet id was given.</exception>
    public static string FleetId(ParseResult parse)
    {
        var fleet = parse.GetValue(Fleet) ?? Environment.GetEnvironmentVariable("EDGE_FLEET");
        if (!TopicScheme.IsSingleLevel(fleet))
        {
            throw new CliUsageException($"--fleet is required (or set EDGE_FLEET) and must be one topic level without '/', '+' or '#'; got '{fleet}'.");
        }

        return fleet;
    }

    /// <exception cref="CliUsageException">Every invalid broker setting, at once.</exception>
    public static BrokerOptions BrokerOptions(ParseResult parse)
    {
        var (host, port) = SplitHostPort(parse.GetValue(Broker)!, parse.GetValue(Port));
        var options = new BrokerOptions
        {
            Host = host,
            Port = port,
            Tls = parse.GetValue(Tls),
            CaFile = parse.GetValue(CaFile),
            CertificateFile = parse.GetValue(CertFile),
            KeyFile = parse.GetValue(KeyFile),
            Username = parse.GetValue(Username),
            Password = parse.GetValue(Password) ?? Environment.GetEnvironmentVariable("EDGE_FLEET_PASSWORD") ?? Environment.GetEnvironmentVariable("EDGE_FLEET_MQTT_PASSWORD"),
            ProtocolVersion = parse.GetValue(MqttVersion)!,
            SharedSubscriptionGroup = parse.GetValue(ShareGroup),
            ConnectRetryFor = TimeSpan.FromSeconds(parse.GetValue(ConnectRetry)),
            ClientId = parse.GetValue(ClientId),
        };
        if (options.Username is null && options.Password is not null && parse.GetValue(Password) is null)
        {
            options.Password = null; // the environment password applies only with a user name
        }

        var errors = options.Validate();
        CliUsageException.ThrowIfAny(errors);

        return options;
    }

    /// <summary><c>host:port</c> in <c>--broker</c> gives the port unless <c>--port</c> does (IPv6 literals: use --port).</summary>
    private static (string Host, int? Port) SplitHostPort(string broker, int? port)
    {
        var colon = broker.LastIndexOf(':');
        if (colon <= 0 || broker.IndexOf(':', StringComparison.Ordinal) != colon)
        {
            return (broker, port);
        }

        return int.TryParse(broker.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var given)
            ? (broker[..colon], port ?? given)
            : throw new CliUsageException($"--broker '{broker}' must be host or host:port with a numeric port.");
    }

    /// <summary><c>edge-fleet-{role}-{16 hex}</c>: the same for every run of one role on one fleet and store, so the session is found again.</summary>
    /// <param name="storeIdentity">The store's <see cref="Storage.StoreSpec.Identity"/> (for SQLite, the state file's full path, as before stores could be chosen).</param>
    public static string FixedClientId(string role, string fleet, string storeIdentity)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{fleet}\n{storeIdentity}"));
        return $"edge-fleet-{role}-{Convert.ToHexStringLower(hash)[..16]}";
    }

    /// <summary>Parses <c>10%</c> or <c>0.1</c> into a fraction.</summary>
    public static double Fraction(string text, string option)
    {
        var percent = text.EndsWith('%');
        if (double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return percent ? value / 100 : value;
        }

        throw new CliUsageException($"{option}: '{text}' is not a percentage (10%) or a fraction (0.1).");
    }

    /// <summary>
    /// Parses one option value; one that does not parse is added to <paramref name="errors"/> and replaced by
    /// <paramref name="fallback"/>, so the other values are still checked and every problem is listed at once.
    /// </summary>
    public static T ReadOrList<T>(Func<T> parse, T fallback, List<string> errors)
    {
        try
        {
            return parse();
        }
        catch (CliUsageException e)
        {
            errors.Add(e.Message);
            return fallback;
        }
    }

    /// <summary>Parses <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c> or plain seconds.</summary>
    public static TimeSpan Duration(string text, string option) => CliDuration.Parse(text, option);

    /// <summary>Loads the operator key from <c>--job-key</c> or <c>$EDGE_FLEET_JOB_KEY</c>; every command that publishes a job needs it.</summary>
    /// <exception cref="CliUsageException">No key was given, or the file is not an EC P-256 private key.</exception>
    public static async Task<Publishing.JobSigner> JobSignerAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(JobKey) ?? Environment.GetEnvironmentVariable("EDGE_FLEET_JOB_KEY");
        if (string.IsNullOrEmpty(path))
        {
            throw new CliUsageException(
                "--job-key OPERATOR.key.pem is required to sign job documents (or set EDGE_FLEET_JOB_KEY); devices refuse unsigned jobs. Create one with 'dotnet edge-optimize keys new'.");
        }

        try
        {
            return await Publishing.JobSigner.FromPemFileAsync(path, cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
    }

    /// <summary>
    /// Opens a broker connection, printing each failed attempt on standard error (visible retry). With
    /// <paramref name="persistentSession"/> the broker keeps the session (and queues QoS 1 messages) across broker and
    /// tool restarts, under <c>--client-id</c> or a fixed id derived from the role, the fleet and the state store.
    /// </summary>
    /// <param name="attach">Attaches handlers and subscribes before the first connect, so nothing the broker queued for a persistent session arrives unhandled.</param>
    public static async Task<BrokerConnection> ConnectAsync(
        ParseResult parse, CliContext context, TimeProvider time, string role, CancellationToken cancellationToken, bool persistentSession = false, Func<BrokerConnection, Task>? attach = null)
    {
        var options = BrokerOptions(parse);
        if (persistentSession)
        {
            options.PersistentSession = true;
            options.ClientId ??= FixedClientId(role, FleetId(parse), StoreSpec(parse).Identity);
        }

        var connection = new BrokerConnection(options, time, role);
        connection.StatusChanged += line => context.Error.WriteLine($"edge-fleet: {line}");
        try
        {
            if (attach is not null)
            {
                await attach(connection);
            }

            await connection.ConnectAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
