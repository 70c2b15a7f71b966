using Edge.Optimizer.Passes.Distill;

namespace Edge.Optimizer.Tests.Passes.Distill;

public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void LoadFailure_AfterBuildStep_IsNull()
    {
        Assert.Null(TorchSharpRuntime.LoadFailure);
    }

    [Fact]
    public void BuildStep_LibTorchSharpInTestOutput_HasGlibcxx3432MarkedWeak()
    {
        var library = Directory.EnumerateFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories).First();

        var flags = ElfVersionNeeds.Flags(File.ReadAllBytes(library), "GLIBCXX_3.4.32");

        Assert.Equal(0x2, flags & 0x2);
    }
}
