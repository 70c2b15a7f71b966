namespace Edge.Protocol.Ota;

/// <summary>
/// Topics of over-the-air updates (docs/protocol.md, section OTA). Everything a device reads or writes lives under its
/// own <c>edge/{fleet}/{device}/ota/</c> subtree, except group jobs, which live under <c>edge-groups/{fleet}/{group}/</c>
/// because a device id may be any one topic level and so could collide with a fixed word under <c>edge/{fleet}/</c>.
/// </summary>
public static class OtaTopics
{
    /// <summary>Root of group topics; devices get read access to it through one ACL pattern.</summary>
    public const string GroupRoot = "edge-groups";

    /// <summary><c>edge/{fleet}/{device}/ota/job</c>: retained job document for one device.</summary>
    public static string DeviceJob(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/ota/job";

    /// <summary><c>edge-groups/{fleet}/{group}/ota/job</c>: retained job document for every device of a group.</summary>
    public static string GroupJob(string fleet, string group) => $"{GroupRoot}/{fleet}/{group}/ota/job";

    /// <summary><c>edge/{fleet}/{device}/ota/state</c>: retained job state reports of a device.</summary>
    public static string State(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/ota/state";

    /// <summary><c>edge/{fleet}/{device}/ota/chunk-request</c>: the device asks for chunks of a package.</summary>
    public static string ChunkRequest(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/ota/chunk-request";

    /// <summary><c>edge/{fleet}/{device}/ota/chunk</c>: chunks (or errors) answered to one device.</summary>
    public static string Chunk(string fleet, string device) => $"{TopicScheme.Root}/{fleet}/{device}/ota/chunk";

    /// <summary>The publisher's subscription for state reports of every device of a fleet.</summary>
    public static string StateFilter(string fleet) => $"{TopicScheme.Root}/{fleet}/+/ota/state";

    /// <summary>The publisher's subscription for chunk requests of every device of a fleet.</summary>
    public static string ChunkRequestFilter(string fleet) => $"{TopicScheme.Root}/{fleet}/+/ota/chunk-request";

    /// <summary>The device id in <c>edge/{fleet}/{device}/ota/...</c>, or null when the topic is not an OTA topic of <paramref name="fleet"/>.</summary>
    public static string? DeviceOf(string topic, string fleet)
    {
        var prefix = $"{TopicScheme.Root}/{fleet}/";
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = topic.AsSpan(prefix.Length);
        var slash = rest.IndexOf('/');
        return slash > 0 && rest[slash..].StartsWith("/ota/", StringComparison.Ordinal) ? rest[..slash].ToString() : null;
    }
}
