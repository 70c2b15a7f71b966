using Edge.Sdk.Devices;

namespace Edge.Sdk.Tests.Devices;

public sealed class DeviceMonitorTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("edge-device-root");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task DetectBoardAsync_JetsonOrin_ReadsModelL4TAndJetPack()
    {
        Write("proc/device-tree/model", "NVIDIA Jetson Orin Nano Developer Kit\0");
        Write("etc/nv_tegra_release", "# R36 (release), REVISION: 4.3, GCID: 38968081, BOARD: generic, EABI: aarch64, DATE: Wed Jan  8 01:49:37 UTC 2025\n");

        var board = await new DeviceMonitor(root.FullName).DetectBoardAsync();

        Assert.Equal(new BoardInfo(BoardKind.Jetson, "NVIDIA Jetson Orin Nano Developer Kit", "36.4.3", "6.2"), board);
    }

    [Fact]
    public async Task DetectBoardAsync_JetsonUnknownRelease_KeepsL4TWithoutJetPack()
    {
        Write("proc/device-tree/model", "NVIDIA Jetson AGX Thor\0");
        Write("etc/nv_tegra_release", "# R38 (release), REVISION: 2, GCID: 1, BOARD: generic\n");

        var board = await new DeviceMonitor(root.FullName).DetectBoardAsync();

        Assert.Equal(BoardKind.Jetson, board.Kind);
        Assert.Equal("38.2.0", board.L4TVersion);
        Assert.Null(board.JetPackVersion);
    }

    [Fact]
    public async Task DetectBoardAsync_RaspberryPi_ReadsModel()
    {
        Write("proc/device-tree/model", "Raspberry Pi 5 Model B Rev 1.0\0");

        var board = await new DeviceMonitor(root.FullName).DetectBoardAsync();

        Assert.Equal(new BoardInfo(BoardKind.RaspberryPi, "Raspberry Pi 5 Model B Rev 1.0", null, null), board);
    }

    [Fact]
    public async Task DetectBoardAsync_NothingExposed_IsGenericWithNulls()
    {
        var board = await new DeviceMonitor(root.FullName).DetectBoardAsync();

        Assert.Equal(new BoardInfo(BoardKind.Generic, null, null, null), board);
    }

    [Fact]
    public async Task ReadHealthAsync_RaspberryPiTree_ReadsEveryValue()
    {
        Write("sys/class/thermal/thermal_zone0/type", "cpu-thermal\n");
        Write("sys/class/thermal/thermal_zone0/temp", "61250\n");
        Write("proc/meminfo", "MemTotal:        8245616 kB\nMemFree:          123456 kB\nMemAvailable:    6000000 kB\n");
        Write("proc/loadavg", "0.52 0.58 0.59 1/389 12345\n");
        Write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n");

        var health = await new DeviceMonitor(root.FullName).ReadHealthAsync();

        Assert.Equal(61.25, health.CpuTemperatureCelsius);
        Assert.Equal(8245616L * 1024, health.MemoryTotalBytes);
        Assert.Equal(6000000L * 1024, health.MemoryAvailableBytes);
        Assert.Equal(0.52, health.LoadAverage1Minute);
        Assert.Equal(0.58, health.LoadAverage5Minutes);
        Assert.Equal(0.59, health.LoadAverage15Minutes);
        Assert.NotNull(health.Throttling);
        Assert.True(health.Throttling.UnderVoltage);
        Assert.False(health.Throttling.FrequencyCapped);
        Assert.True(health.Throttling.Throttled);
        Assert.True(health.Throttling.UnderVoltageOccurred);
        Assert.True(health.Throttling.ThrottlingOccurred);
    }

    [Fact]
    public async Task ReadHealthAsync_JetsonZones_PicksTheCpuZoneNotTheFirst()
    {
        Write("sys/class/thermal/thermal_zone0/type", "GPU-therm\n");
        Write("sys/class/thermal/thermal_zone0/temp", "48000\n");
        Write("sys/class/thermal/thermal_zone1/type", "CPU-therm\n");
        Write("sys/class/thermal/thermal_zone1/temp", "52500\n");

        var health = await new DeviceMonitor(root.FullName).ReadHealthAsync();

        Assert.Equal(52.5, health.CpuTemperatureCelsius);
        Assert.Null(health.Throttling);
    }

    [Fact]
    public async Task ReadHealthAsync_NothingExposedOrGarbage_ReturnsNullsWithoutThrowing()
    {
        Write("proc/loadavg", "garbage\n");
        Write("sys/devices/platform/soc/soc:firmware/get_throttled", "not-hex\n");

        var health = await new DeviceMonitor(root.FullName).ReadHealthAsync();

        Assert.Equal(new DeviceHealth(null, null, null, null, null, null, null), health);
    }

    [Fact]
    public async Task ReadHealthAsync_ThisMachine_ReadsMemoryAndLoad()
    {
        var health = await new DeviceMonitor().ReadHealthAsync();

        Assert.True(health.MemoryTotalBytes > 0, "Linux exposes /proc/meminfo.");
        Assert.True(health.LoadAverage1Minute >= 0, "Linux exposes /proc/loadavg.");
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(root.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
