using Edge.Sdk.Devices;

namespace Edge.Sdk.Tests.Devices;

public sealed class DeviceMonitorCpuTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("edge-cpu-root");

    public void Dispose() => root.Delete(recursive: true);

    [Fact]
    public async Task ReadCpuAsync_X64_ModelNameAndOnlyKernelFlagsSorted()
    {
        Write("""
            processor	: 0
            vendor_id	: GenuineIntel
            model name	: Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz
            flags		: fpu vme sse4_2 avx2 fma avx avx512f avx512_vnni hypervisor f16c lahf_lm

            processor	: 1
            model name	: Something Else
            flags		: fpu amx_tile
            """);

        var cpu = await new DeviceMonitor(root.FullName).ReadCpuAsync();

        Assert.Equal("Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", cpu.Model);
        Assert.Equal(["avx", "avx2", "avx512_vnni", "avx512f", "f16c", "fma", "sse4_2"], cpu.IsaFlags);
    }

    [Fact]
    public async Task ReadCpuAsync_RaspberryPi5_NamesTheArmCoreFromItsPartNumber()
    {
        Write("""
            processor	: 0
            BogoMIPS	: 108.00
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
            CPU implementer	: 0x41
            CPU architecture: 8
            CPU part	: 0xd0b

            """);

        var cpu = await new DeviceMonitor(root.FullName).ReadCpuAsync();

        Assert.Equal("Cortex-A76", cpu.Model);
        Assert.Equal(["asimd", "asimddp", "asimdhp", "fphp"], cpu.IsaFlags);
    }

    [Fact]
    public async Task ReadCpuAsync_UnknownArmPart_KeepsTheNumbers()
    {
        Write("processor\t: 0\nFeatures\t: asimd\nCPU implementer\t: 0x51\nCPU part\t: 0x802\n");

        var cpu = await new DeviceMonitor(root.FullName).ReadCpuAsync();

        Assert.Equal("arm implementer 0x51 part 0x802", cpu.Model);
    }

    [Fact]
    public async Task ReadCpuAsync_NoCpuInfo_Unknown()
    {
        var cpu = await new DeviceMonitor(root.FullName).ReadCpuAsync();

        Assert.Equal("unknown", cpu.Model);
        Assert.Empty(cpu.IsaFlags);
    }

    private void Write(string text)
    {
        var path = Path.Combine(root.FullName, "proc", "cpuinfo");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
