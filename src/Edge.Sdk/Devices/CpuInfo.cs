namespace Edge.Sdk.Devices;

/// <summary>What CPU this is, as far as model speed is concerned.</summary>
/// <param name="Model">
/// The CPU model: x64's <c>model name</c> (for example "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz"), an Arm core's
/// name from its implementer and part numbers (for example "Cortex-A76"), or "unknown".
/// </param>
/// <param name="IsaFlags">
/// The instruction-set extensions ONNX Runtime's CPU kernels choose between, lowercase and sorted: on x64 the SSE4.2,
/// AVX, AVX2, FMA, F16C, AVX-512, VNNI, BF16 and AMX flags; on Arm the Advanced SIMD, half-precision, dot-product,
/// i8mm, BF16 and SVE features. Empty when <c>/proc/cpuinfo</c> is unreadable.
/// </param>
public sealed record CpuInfo(string Model, IReadOnlyList<string> IsaFlags);
