namespace Edge.Optimizer.Passes.Distill;

/// <summary>A temporary .onnx path for evaluating the student through the SDK; deleted on dispose.</summary>
internal sealed class ScratchFile : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"edge-distill-{Guid.NewGuid():N}.onnx");

    public void Dispose() => File.Delete(Path);
}
