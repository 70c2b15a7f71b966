using System.Diagnostics;
using System.Text;
using Edge.TestUtilities;
using Xunit.Abstractions;

namespace Edge.Samples.Tests.Publishing;

/// <summary>
/// Publishes both device samples for linux-arm64 (Jetson and 64-bit Raspberry Pi OS), framework-dependent, exactly as
/// their READMEs say, into a private artifacts folder so the repository's own bin/obj are untouched. Checks that the
/// app host and ONNX Runtime's native library are AArch64 ELF files.
/// </summary>
[Trait(TestCategories.Category, TestCategories.LongRunning)]
public sealed class CrossPublishTests
{
    private const ushort ElfMachineAArch64 = 0xB7;

    private readonly ITestOutputHelper _output;

    public CrossPublishTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Publish_BothSamplesForLinuxArm64_SucceedsWithArm64Binaries()
    {
        var work = Directory.CreateTempSubdirectory("edge-samples-publish-").FullName;
        try
        {
            // One artifacts folder: the shared projects (SDK, agent, samples/Shared) are built once for both.
            var artifacts = Path.Combine(work, "artifacts");
            foreach (var (project, app) in new[]
            {
                ("samples/jetson/Jetson.Detector", "jetson-detector"),
                ("samples/raspberrypi/RaspberryPi.FaceCapture", "rpi-face-capture"),
            })
            {
                var output = Path.Combine(work, app);
                var (exitCode, log) = await DotnetAsync(
                    ["publish", project, "-c", "Release", "-r", "linux-arm64", "--self-contained", "false", "--artifacts-path", artifacts, "-o", output, "-nologo"]);
                Assert.True(exitCode == 0, $"dotnet publish {project} -r linux-arm64 failed ({exitCode}):\n{log}");

                Assert.Equal(ElfMachineAArch64, ElfMachine(Path.Combine(output, app)));
                Assert.Equal(ElfMachineAArch64, ElfMachine(Path.Combine(output, "libonnxruntime.so")));
                Assert.True(File.Exists(Path.Combine(output, app + ".dll")));
                _output.WriteLine($"{project}: {Directory.GetFiles(output).Length} files, {Directory.GetFiles(output).Sum(f => new FileInfo(f).Length) / 1_048_576.0:0.0} MiB");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The e_machine field of an ELF file (offset 18, little-endian).</summary>
    private static ushort ElfMachine(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not published.");
        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        Assert.True(header[..4].SequenceEqual("\u007fELF"u8), $"{path} is not an ELF file.");
        return (ushort)(header[18] | (header[19] << 8));
    }

    private static async Task<(int ExitCode, string Log)> DotnetAsync(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = TestData.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        var log = new StringBuilder();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within 10 minutes.");
        }

        log.Append(await stdout).Append(await stderr);
        return (process.ExitCode, log.ToString());
    }
}
