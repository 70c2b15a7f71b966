using System.Formats.Tar;

namespace Edge.Packaging.Tests;

/// <summary>A tar entry as tests write it: name, bytes, type and (for links) target.</summary>
internal sealed record RawEntry(string Name, byte[] Data, TarEntryType Type = TarEntryType.RegularFile, string? LinkName = null);
