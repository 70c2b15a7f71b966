namespace Edge.Sdk.Devices;

/// <summary>JetPack releases by the L4T version they ship (NVIDIA's JetPack archive). Unknown versions give null.</summary>
internal static class JetPackReleases
{
    private static readonly Dictionary<string, string> ByL4T = new(StringComparer.Ordinal)
    {
        ["32.4.3"] = "4.4",
        ["32.4.4"] = "4.4.1",
        ["32.5.0"] = "4.5",
        ["32.5.1"] = "4.5.1",
        ["32.6.1"] = "4.6",
        ["32.7.1"] = "4.6.1",
        ["32.7.2"] = "4.6.2",
        ["32.7.3"] = "4.6.3",
        ["32.7.4"] = "4.6.4",
        ["32.7.5"] = "4.6.5",
        ["32.7.6"] = "4.6.6",
        ["35.1.0"] = "5.0.2",
        ["35.2.1"] = "5.1",
        ["35.3.1"] = "5.1.1",
        ["35.4.1"] = "5.1.2",
        ["35.5.0"] = "5.1.3",
        ["35.6.0"] = "5.1.4",
        ["36.3.0"] = "6.0",
        ["36.4.0"] = "6.1",
        ["36.4.3"] = "6.2",
        ["36.4.4"] = "6.2.1",
    };

    public static string? ForL4T(string l4tVersion) => ByL4T.GetValueOrDefault(l4tVersion);
}
