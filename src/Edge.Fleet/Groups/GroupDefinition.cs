namespace Edge.Fleet.Groups;

/// <summary>A named set of devices: an attribute selector, an explicit list, or both (union).</summary>
internal sealed record GroupDefinition(string Name, string? Selector, IReadOnlyList<string> Devices, DateTimeOffset Created)
{
    public string Describe() =>
        (Selector, Devices.Count) switch
        {
            (not null, 0) => $"selector {Selector}",
            (null, _) => $"list of {Devices.Count}: {string.Join(",", Devices)}",
            _ => $"selector {Selector} + list {string.Join(",", Devices)}",
        };
}
