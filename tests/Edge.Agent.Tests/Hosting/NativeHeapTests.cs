using Edge.Agent.Hosting;

namespace Edge.Agent.Tests.Hosting;

public sealed class NativeHeapTests
{
    [Fact]
    public void LimitArenas_TwoOnGlibcLinux_Succeeds()
    {
        // This machine's C library is glibc, whose mallopt accepts M_ARENA_MAX; the call also holds in the test process.
        Assert.True(NativeHeap.LimitArenas(2));
    }

    [Fact]
    public void LimitArenas_Zero_ThrowsNamingTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => NativeHeap.LimitArenas(0));

        Assert.Equal("arenas", error.ParamName);
    }
}
