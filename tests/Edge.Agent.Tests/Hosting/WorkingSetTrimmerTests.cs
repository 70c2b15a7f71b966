using System.IO.MemoryMappedFiles;
using Edge.Agent.Hosting;

namespace Edge.Agent.Tests.Hosting;

/// <summary>The trimmer on real mappings of this test process (Linux): what it advises, what it must leave alone.</summary>
public sealed class WorkingSetTrimmerTests : IDisposable
{
    private const string Smaps = "/proc/self/smaps";
    private const int FileBytes = 256 * 1024;

    private readonly string _path = Path.GetFullPath(Path.Combine(Path.GetTempPath(), $"edge-trim-{Guid.NewGuid():N}.bin"));

    public WorkingSetTrimmerTests()
    {
        File.WriteAllBytes(_path, Enumerable.Range(0, FileBytes).Select(i => (byte)(i * 7)).ToArray());
    }

    [Fact]
    public void Trim_ReadOnlyMappingTouched_UnmapsAndEvictsItAndKeepsItsContents()
    {
        using var file = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, FileBytes, MemoryMappedFileAccess.Read);
        var before = Checksum(view);
        Assert.Equal(FileBytes, ResidentBytesOf(_path));

        var result = WorkingSetTrimmer.Trim(Smaps, unmap: path => path == _path, evict: path => path == _path);

        Assert.Null(result.NotSupportedReason);
        Assert.Equal(1, result.MappingsAdvised);
        Assert.Equal(FileBytes, result.MappedBytes);
        Assert.Equal(FileBytes, result.ResidentBytesBefore);
        Assert.Equal(1, result.FilesEvicted);
        Assert.Equal(0, result.Failures);
        Assert.Equal(0, ResidentBytesOf(_path));
        Assert.Equal(before, Checksum(view)); // the pages fault back in from the file, unchanged
    }

    [Fact]
    public void Trim_PrivateMappingWithACopiedPage_LeavesItAlone()
    {
        using var file = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
        using var view = file.CreateViewAccessor(0, FileBytes, MemoryMappedFileAccess.CopyOnWrite);
        view.Write(100, (byte)0xAB); // a private copy of one page that MADV_DONTNEED would throw away

        var result = WorkingSetTrimmer.Trim(Smaps, unmap: path => path == _path, evict: path => path == _path);

        Assert.Equal(0, result.MappingsAdvised);
        Assert.Equal(0, result.FilesEvicted);
        Assert.Equal((byte)0xAB, view.ReadByte(100));
    }

    [Fact]
    public void Trim_SharedLibrariesOfThisProcess_AdvisesThemWithoutFailures()
    {
        var result = WorkingSetTrimmer.Trim(Smaps, unmap: WorkingSetTrimmer.IsSharedLibrary, evict: _ => false);

        Assert.Null(result.NotSupportedReason);
        Assert.True(result.MappingsAdvised > 0, $"No shared library mapping was advised: {result}");
        Assert.Equal(0, result.Failures);
        Assert.Equal(0, result.FilesEvicted);
    }

    [Fact]
    public void Trim_SmapsMissing_ReturnsNotSupportedNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"edge-no-smaps-{Guid.NewGuid():N}");

        var result = WorkingSetTrimmer.Trim(missing, unmap: _ => true, evict: _ => true);

        Assert.Contains(missing, result.NotSupportedReason, StringComparison.Ordinal);
        Assert.Equal(0, result.MappingsAdvised);
    }

    [Theory]
    [InlineData("/usr/lib/x86_64-linux-gnu/libc.so.6", true)]
    [InlineData("/opt/edge-agent/libe_sqlite3.so", true)]
    [InlineData("/opt/edge-agent/edge-agent", false)]
    [InlineData("/var/lib/edge-agent/outbox.db-shm", false)]
    public void IsSharedLibrary_Path_RecognisesSoNames(string path, bool expected)
    {
        Assert.Equal(expected, WorkingSetTrimmer.IsSharedLibrary(path));
    }

    public void Dispose() => File.Delete(_path);

    private static long Checksum(MemoryMappedViewAccessor view)
    {
        long sum = 0;
        for (var offset = 0; offset < FileBytes; offset += 512)
        {
            sum += view.ReadByte(offset) * (offset + 1L);
        }

        return sum;
    }

    private static long ResidentBytesOf(string path) =>
        SmapsMapping.ReadAll(Smaps).Where(m => m.Path == path).Sum(m => m.ResidentBytes);
}
