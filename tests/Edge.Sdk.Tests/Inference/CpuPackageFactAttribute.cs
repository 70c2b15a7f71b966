namespace Edge.Sdk.Tests.Inference;

/// <summary>
/// A fact about the CPU package (the default build and CI). In a <c>-p:EdgeGpu=true</c> build it is reported as
/// skipped with the reason, because the GPU package lists the GPU providers and fails differently.
/// </summary>
internal sealed class CpuPackageFactAttribute : FactAttribute
{
    public CpuPackageFactAttribute()
    {
        if (OnnxRuntimePackage.IsGpu)
        {
            Skip = $"Checks the CPU package's behaviour; this build references {OnnxRuntimePackage.Name} (-p:EdgeGpu=true).";
        }
    }
}
