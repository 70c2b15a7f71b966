using System.Reflection;
using System.Runtime.InteropServices;
using Edge.Agent.Protocol;
using Edge.Packaging;
using Edge.Sdk.Devices;
using Edge.Sdk.Inference;

namespace Edge.Agent.Devices;

/// <summary>
/// Reads the facts the birth message carries. The board comes from <c>/proc/device-tree/model</c> (Raspberry Pi,
/// Jetson and most ARM boards); where that is absent, such as on x64 servers, it is <c>generic-{architecture}</c>.
/// </summary>
internal static class DeviceFactsReader
{
    /// <param name="systemRoot">The folder that stands for "/" (tests use a copy).</param>
    /// <param name="device">The device settings (SDK version, models).</param>
    /// <param name="provider">
    /// The configured execution provider (<c>Ota:Provider</c>). <c>auto</c> stays <c>auto</c>: resolving it would load
    /// ONNX Runtime's native library, which an agent without a model does not carry.
    /// </param>
    public static DeviceFacts Read(string systemRoot, DeviceOptions device, string provider)
    {
        var architecture = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var board = ReadBoard(systemRoot) ?? $"generic-{architecture}";
        var cpu = new DeviceMonitor(systemRoot).ReadCpuAsync().GetAwaiter().GetResult();
        return new DeviceFacts
        {
            Board = board,
            Os = ReadOsName(systemRoot) ?? RuntimeInformation.OSDescription,
            Architecture = architecture,
            AgentVersion = AgentVersion,
            SdkVersion = device.SdkVersion,
            Models = device.Models.Select(m => new ModelFact(m.Name, m.Version)).ToArray(),
            Hardware = new HardwareFacts
            {
                Board = board,
                CpuModel = cpu.Model,
                Architecture = architecture,
                IsaFlags = cpu.IsaFlags,
                OnnxRuntimeVersion = EdgeSession.OnnxRuntimeVersion,
                ExecutionProvider = PackageDeviceDescription.NormalizeProvider(provider),
            },
        };
    }

    /// <summary>The agent's informational version without the source-revision suffix.</summary>
    public static string AgentVersion { get; } = ReadAgentVersion();

    private static string ReadAgentVersion()
    {
        var version = typeof(DeviceFactsReader).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    private static string? ReadBoard(string systemRoot)
    {
        var text = TryRead(Path.Combine(systemRoot, "proc/device-tree/model"));
        // The device tree stores the model as a NUL-terminated string.
        return string.IsNullOrWhiteSpace(text) ? null : text.TrimEnd('\0', '\n', ' ');
    }

    private static string? ReadOsName(string systemRoot)
    {
        var text = TryRead(Path.Combine(systemRoot, "etc/os-release"));
        if (text is null)
        {
            return null;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim().Trim('"');
            }
        }

        return null;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
