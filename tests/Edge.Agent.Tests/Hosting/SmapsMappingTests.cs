using Edge.Agent.Hosting;

namespace Edge.Agent.Tests.Hosting;

public sealed class SmapsMappingTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"edge-smaps-{Guid.NewGuid():N}");

    [Fact]
    public void ReadAll_MappingsWithAndWithoutPaths_ParsesRangesPermissionsAndSizes()
    {
        File.WriteAllText(_path, """
            55d0c0000000-55d0c0015000 r--p 00000000 fe:00 123                        /opt/edge agent/edge-agent
            Size:                 84 kB
            Rss:                  80 kB
            Anonymous:             0 kB
            7f0000000000-7f0000021000 rw-p 00000000 00:00 0
            Rss:                 132 kB
            Anonymous:           132 kB
            VmFlags: rd wr mr mw me ac sd
            7f0000100000-7f0000101000 r--p 00002000 fe:00 456                        /usr/lib/libx.so.1 (deleted)
            Rss:                   4 kB
            """);

        var mappings = SmapsMapping.ReadAll(_path);

        Assert.Equal(3, mappings.Count);
        Assert.Equal((0x55d0c0000000UL, 0x15000UL, false, "/opt/edge agent/edge-agent", 80 * 1024L, 0L),
            (mappings[0].Start, mappings[0].Length, mappings[0].Writable, mappings[0].Path, mappings[0].ResidentBytes, mappings[0].AnonymousBytes));
        Assert.Equal((true, string.Empty, 132 * 1024L, 132 * 1024L),
            (mappings[1].Writable, mappings[1].Path, mappings[1].ResidentBytes, mappings[1].AnonymousBytes));
        Assert.Equal(-1, mappings[2].AnonymousBytes); // no Anonymous line: never treated as untouched
    }

    public void Dispose() => File.Delete(_path);
}
