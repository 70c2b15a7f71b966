namespace Edge.Packaging;

/// <summary>
/// The manifest's <c>passport</c>: measured latency (and optionally accuracy) of the package's model against a
/// baseline, one entry per hardware class. It is part of <c>manifest.json</c>, so the manifest's signature covers it.
/// See <c>docs/package-format.md</c>.
/// </summary>
public sealed class PackagePassport
{
    /// <summary>The most entries a passport may hold.</summary>
    public const int MaxEntries = 256;

    /// <summary>The entries, at most one per <see cref="PackageHardwareClass.Key"/>, at most <see cref="MaxEntries"/>.</summary>
    public IReadOnlyList<PackagePassportEntry> Entries { get; init; } = [];

    /// <summary>Finds the entry for a hardware class.</summary>
    /// <param name="hardwareKey">A hardware key as devices report it (<c>architecture|board|cpu|flags|ort|provider</c>); compared ordinally.</param>
    /// <returns>The entry whose <see cref="PackageHardwareClass.Key"/> equals <paramref name="hardwareKey"/>, or null.</returns>
    public PackagePassportEntry? Find(string hardwareKey)
    {
        ArgumentNullException.ThrowIfNull(hardwareKey);
        return Entries.FirstOrDefault(e => string.Equals(e.Hardware.Key, hardwareKey, StringComparison.Ordinal));
    }
}
