using System.Globalization;
using Edge.Fleet.Connection;

namespace Edge.Fleet.Serving;

/// <summary>What one <c>edge-fleet serve</c> instance ingests and how it identifies itself to the broker.</summary>
internal sealed class ServeOptions
{
    /// <summary>Largest <see cref="MaxBatchMessages"/> accepted.</summary>
    public const int MaxBatchMessagesLimit = 10_000;

    /// <summary>The fleet id, the <c>{fleet}</c> topic level.</summary>
    public required string Fleet { get; init; }

    /// <summary>
    /// This instance's id, one topic level of at most 64 characters. It makes the MQTT client id
    /// (<c>edge-fleet-serve-{fleet}-{instance}</c>), so it must stay the same across restarts for the broker to hand
    /// back what it queued for the instance, and differ between instances that run at once.
    /// </summary>
    public required string Instance { get; init; }

    /// <summary>
    /// The shared-subscription group every instance of one deployment joins. Default <c>edge-fleet</c>.
    /// <see cref="NotShared"/> (<c>none</c>) subscribes to telemetry without sharing, for one instance on a broker that
    /// loses shared subscriptions across its own restart (Mosquitto 2.0; docs/fleet.md, "Serving").
    /// </summary>
    public string ShareGroup { get; init; } = "edge-fleet";

    /// <summary>The <see cref="ShareGroup"/> value for a plain, unshared telemetry subscription.</summary>
    public const string NotShared = "none";

    /// <summary>Whether telemetry comes through a shared subscription.</summary>
    public bool Shared => ShareGroup != NotShared;

    /// <summary>Most messages stored (and then acknowledged) in one transaction, 1 to 10 000. Default 500.</summary>
    public int MaxBatchMessages { get; init; } = 500;

    /// <summary>How often telemetry retention runs. Default 10 minutes; at least 1 second.</summary>
    public TimeSpan PruneInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>{hostname}-{pid}</c>: unique on a machine, but new on every start; services should pass a fixed id.</summary>
    public static string DefaultInstance() =>
        $"{Environment.MachineName}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The MQTT client id of this instance's persistent session.</summary>
    public string ClientId => $"edge-fleet-serve-{Fleet}-{Instance}";

    /// <summary>Telemetry of every device, shared with the other instances of <see cref="ShareGroup"/>.</summary>
    public string TelemetryFilter => Shared
        ? $"$share/{ShareGroup}/{TopicScheme.Root}/{Fleet}/+/telemetry"
        : $"{TopicScheme.Root}/{Fleet}/+/telemetry";

    /// <summary>
    /// Statuses, subscribed by every instance without sharing: retained messages are never sent through a shared
    /// subscription (MQTT 5, 4.8.2), and storing a status twice changes nothing.
    /// </summary>
    public string StatusFilter => $"{TopicScheme.Root}/{Fleet}/+/status";

    /// <summary>Every problem with the options, all at once; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!TopicScheme.IsSingleLevel(Fleet))
        {
            errors.Add($"--fleet: '{Fleet}' must be one topic level without '/', '+' or '#'.");
        }

        if (!TopicScheme.IsSingleLevel(Instance) || Instance.Length > 64 || Instance.Any(char.IsControl))
        {
            errors.Add($"--instance: '{Instance}' must be 1 to 64 characters without '/', '+', '#' or control characters.");
        }

        if (!TopicScheme.IsSingleLevel(ShareGroup) || ShareGroup.Any(char.IsControl))
        {
            errors.Add($"--share-group: '{ShareGroup}' must be non-empty without '/', '+', '#' or control characters.");
        }

        if (MaxBatchMessages is < 1 or > MaxBatchMessagesLimit)
        {
            errors.Add($"--max-batch: {MaxBatchMessages} is outside 1..{MaxBatchMessagesLimit}.");
        }

        if (PruneInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Prune interval {PruneInterval} is shorter than 1 second.");
        }

        return errors;
    }
}
