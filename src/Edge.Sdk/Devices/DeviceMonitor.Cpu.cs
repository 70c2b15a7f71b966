namespace Edge.Sdk.Devices;

/// <summary>The CPU reading.</summary>
public sealed partial class DeviceMonitor
{
    // The extensions that change which ONNX Runtime kernels run (MLAS picks int8 and float paths by them).
    private static readonly HashSet<string> KernelFlags = new(StringComparer.Ordinal)
    {
        "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni", "avx512_bf16",
        "avx512_fp16", "amx_tile", "amx_int8", "amx_bf16",
        "asimd", "asimdhp", "fphp", "asimddp", "i8mm", "bf16", "sve", "sve2",
    };

    // Arm's implementer 0x41 part numbers of the cores edge boards carry (Arm's Technical Reference Manuals, MIDR).
    private static readonly Dictionary<string, string> ArmParts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["0xd03"] = "Cortex-A53", ["0xd04"] = "Cortex-A35", ["0xd05"] = "Cortex-A55", ["0xd07"] = "Cortex-A57",
        ["0xd08"] = "Cortex-A72", ["0xd09"] = "Cortex-A73", ["0xd0a"] = "Cortex-A75", ["0xd0b"] = "Cortex-A76",
        ["0xd0c"] = "Neoverse-N1", ["0xd0d"] = "Cortex-A77", ["0xd41"] = "Cortex-A78", ["0xd42"] = "Cortex-A78AE",
        ["0xd40"] = "Neoverse-V1", ["0xd49"] = "Neoverse-N2", ["0xd4f"] = "Neoverse-V2",
    };

    /// <summary>Reads the CPU model and its kernel-relevant instruction-set flags from <c>/proc/cpuinfo</c> (first processor).</summary>
    public async Task<CpuInfo> ReadCpuAsync(CancellationToken cancellationToken = default)
    {
        var text = await ReadAsync("proc/cpuinfo", cancellationToken);
        if (text is null)
        {
            return new CpuInfo("unknown", []);
        }

        string? modelName = null;
        string? implementer = null;
        string? part = null;
        string? flags = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                if (line.Trim().Length == 0 && (modelName is not null || part is not null))
                {
                    break; // the first processor is enough: edge boards' cores are alike, and big.LITTLE lists the first
                }

                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name":
                    modelName ??= value;
                    break;
                case "CPU implementer":
                    implementer ??= value;
                    break;
                case "CPU part":
                    part ??= value;
                    break;
                case "flags" or "Features":
                    flags ??= value;
                    break;
            }
        }

        var model = modelName is { Length: > 0 } ? modelName
            : part is null ? "unknown"
            : implementer == "0x41" && ArmParts.TryGetValue(part, out var core) ? core
            : $"arm implementer {implementer ?? "?"} part {part}";
        var isa = (flags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(KernelFlags.Contains).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new CpuInfo(model, isa);
    }
}
