using Edge.Onnx;

namespace Edge.Optimizer.Pipeline;

/// <summary>
/// The files of one pipeline run. Each intermediate model is saved once, to <c>&lt;output&gt;.steps/&lt;k&gt;-&lt;pass&gt;/model.onnx</c>,
/// and every later consumer (the next step, the measurement, a resumed run) reads that file; the last step writes the
/// recipe's output directly. The folder stays after the run so that <c>--from-step</c> can resume and people can
/// inspect the intermediate models.
/// </summary>
internal sealed class ModelWorkspace(string outputPath)
{
    /// <summary>The folder of intermediate models.</summary>
    public string Folder { get; } = Path.GetFullPath(outputPath) + ".steps";

    /// <summary>Where step <paramref name="index"/> (1-based) of pass <paramref name="pass"/> keeps its model.</summary>
    public string StepPath(int index, string pass) => Path.Combine(Folder, $"{index}-{pass}", "model.onnx");

    /// <summary>Saves an intermediate model once and returns its path.</summary>
    public async Task<string> SaveAsync(OnnxModel model, int index, string pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var path = StepPath(index, pass);
        var marker = CompleteMarker(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(marker);
        await SaveToAsync(model, path, cancellationToken);

        // Written last: a step killed while saving has no marker, so a resumed run never reads half a model.
        await File.WriteAllTextAsync(marker, "", cancellationToken);
        return path;
    }

    /// <summary>Whether step <paramref name="index"/> finished saving its model, so a run may resume after it.</summary>
    public bool IsComplete(int index, string pass) => File.Exists(CompleteMarker(StepPath(index, pass)));

    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/>, creating its folder.</summary>
    public static async Task SaveToAsync(OnnxModel model, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await model.SaveAsync(path, cancellationToken: cancellationToken);
    }

    private static string CompleteMarker(string modelPath) => Path.Combine(Path.GetDirectoryName(modelPath)!, "complete");
}
