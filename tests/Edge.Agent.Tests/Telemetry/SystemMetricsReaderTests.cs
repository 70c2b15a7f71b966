using Edge.Agent.Telemetry;

namespace Edge.Agent.Tests.Telemetry;

public sealed class SystemMetricsReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edge-sysroot-").FullName;

    [Fact]
    public void Read_FakeProcAndSys_ParsesEveryFigure()
    {
        Write("proc/stat", "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n");
        Write("proc/meminfo", "MemTotal:        2048 kB\nMemFree:          100 kB\nMemAvailable:     1024 kB\n");
        Write("proc/uptime", "12345.67 2000.00\n");
        Write("sys/class/thermal/thermal_zone0/temp", "45000\n");
        Write("sys/class/thermal/thermal_zone1/temp", "61500\n");
        Write(SystemMetricsReader.RaspberryPiThrottledPath, "throttled=0x50005\n".Split('=')[1]);
        var reader = new SystemMetricsReader(_root, _root);

        var first = reader.Read();
        Write("proc/stat", "cpu  150 0 150 800 100 0 0 0 0 0\n"); // +100 busy, +100 idle
        var second = reader.Read();

        Assert.Null(first.CpuPercent); // no previous reading yet
        Assert.Equal(50.0, second.CpuPercent);
        Assert.Equal(2048L * 1024, second.MemoryTotalBytes);
        Assert.Equal(1024L * 1024, second.MemoryAvailableBytes);
        Assert.Equal(61.5, second.TemperatureCelsius);
        Assert.Equal(12345.67, second.UptimeSeconds);
        Assert.True(second.Throttled);
        Assert.Equal("0x50005", second.ThrottleFlags);
        Assert.True(second.DiskTotalBytes > 0);
    }

    [Fact]
    public void Read_EmptyRoot_DegradesToNulls()
    {
        var reader = new SystemMetricsReader(_root, Path.Combine(_root, "missing-disk"));
        reader.Read();

        var figures = reader.Read();

        Assert.Null(figures.CpuPercent);
        Assert.Null(figures.MemoryTotalBytes);
        Assert.Null(figures.TemperatureCelsius);
        Assert.Null(figures.UptimeSeconds);
        Assert.Null(figures.Throttled);
    }

    [Fact]
    public void Read_GarbledFiles_DegradesToNulls()
    {
        Write("proc/stat", "cpu  x y z\n");
        Write("proc/meminfo", "MemTotal: lots\n");
        Write("proc/uptime", "soon\n");
        var reader = new SystemMetricsReader(_root, _root);
        reader.Read();

        var figures = reader.Read();

        Assert.Null(figures.CpuPercent);
        Assert.Null(figures.MemoryTotalBytes);
        Assert.Null(figures.UptimeSeconds);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
