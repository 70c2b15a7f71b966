namespace Edge.Fleet.Groups;

/// <summary>A command named a group that is not defined in the state database.</summary>
internal sealed class UnknownGroupException : FleetException
{
    public UnknownGroupException(string name, IReadOnlyCollection<string> known)
        : base($"Unknown group '{name}'; defined groups: {(known.Count == 0 ? "none (add one with 'dotnet edge-fleet groups add')" : string.Join(", ", known))}.")
    {
        Name = name;
    }

    public string Name { get; }
}
