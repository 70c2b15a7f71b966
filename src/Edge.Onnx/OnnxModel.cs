using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Onnx.Serialization;
using Edge.Onnx.Validation;

namespace Edge.Onnx;

/// <summary>
/// An ONNX model in memory: the parsed <see cref="ModelProto"/> plus the folder its external data lives in.
/// External tensors are not read at load time (only checked to exist); read them with <see cref="ReadTensorBytes"/>
/// or <see cref="TensorData"/>, and saving streams them across, so models larger than memory can be rewritten.
/// The model is mutable and not thread-safe; it holds no open files and needs no disposal.
/// </summary>
public sealed class OnnxModel
{
    private OnnxModel(ModelProto proto, string? externalDataDirectory)
    {
        Proto = proto;
        ExternalDataDirectory = externalDataDirectory;
    }

    /// <summary>The protobuf message. Passes may change it; use <see cref="GetGraph"/> for indexed access.</summary>
    public ModelProto Proto { get; }

    /// <summary>The folder external-data paths are relative to (the model file's folder), or <see langword="null"/> if unknown.</summary>
    public string? ExternalDataDirectory { get; private set; }

    /// <summary>Wraps a message built in memory. External tensors, if any, are resolved against <paramref name="externalDataDirectory"/>.</summary>
    public static OnnxModel FromProto(ModelProto proto, string? externalDataDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        return new OnnxModel(proto, externalDataDirectory is null ? null : Path.GetFullPath(externalDataDirectory));
    }

    /// <summary>
    /// Loads a model file. Throws <see cref="OnnxModelException"/> with a one-line message naming the file for anything
    /// that is not a readable, valid model: a missing file, a directory, empty or non-protobuf content, a truncated
    /// file, a missing external-data file, and (with <see cref="OnnxLoadOptions.Validate"/>) graph errors.
    /// </summary>
    public static OnnxModel Load(string path, OnnxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= OnnxLoadOptions.Default;
        options.EnsureValid();
        var proto = ModelReader.ReadFile(path, options);
        var model = new OnnxModel(proto, Path.GetDirectoryName(Path.GetFullPath(path)));
        model.ValidateOnLoad(path, options);
        return model;
    }

    /// <summary>
    /// Loads a model file without blocking the caller. Protobuf parsing reads the file synchronously, so the work runs
    /// on the thread pool; the contract is that of <see cref="Load"/>.
    /// </summary>
    public static Task<OnnxModel> LoadAsync(string path, OnnxLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Task.Run(() => Load(path, options), cancellationToken);
    }

    /// <summary>
    /// Loads a model from a stream, reading it to its end. External data is resolved against
    /// <see cref="OnnxLoadOptions.ExternalDataDirectory"/>. The caller keeps ownership of the stream.
    /// </summary>
    public static async Task<OnnxModel> LoadAsync(Stream stream, OnnxLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= OnnxLoadOptions.Default;
        options.EnsureValid();
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxModelBytes)
            {
                throw new OnnxModelException($"The model stream is longer than the {options.MaxModelBytes}-byte limit for the protobuf part of a model.");
            }

            buffer.Write(chunk, 0, read);
        }

        buffer.Position = 0;
        var proto = ModelReader.Parse(buffer, buffer.Length, "stream", options);
        var directory = options.ExternalDataDirectory is null ? null : Path.GetFullPath(options.ExternalDataDirectory);
        ModelReader.CheckExternalData(proto, directory, "stream");
        var model = new OnnxModel(proto, directory);
        model.ValidateOnLoad("stream", options);
        return model;
    }

    /// <summary>
    /// Saves the model to <paramref name="path"/>, and its external tensors to one data file beside it (see
    /// <see cref="OnnxSaveOptions"/>). External bytes are streamed from the source files, never held whole.
    /// Afterwards this model refers to the saved external-data file.
    /// </summary>
    public void Save(string path, OnnxSaveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ModelWriter.Save(Proto, ExternalDataDirectory, path, options ?? OnnxSaveOptions.Default);
        AdoptFolderOf(path);
    }

    /// <summary>Asynchronous <see cref="Save"/>.</summary>
    public async Task SaveAsync(string path, OnnxSaveOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await ModelWriter.SaveAsync(Proto, ExternalDataDirectory, path, options ?? OnnxSaveOptions.Default, cancellationToken);
        AdoptFolderOf(path);
    }

    /// <summary>Writes the whole model to <paramref name="stream"/> with every tensor inline (it must fit in 2 GiB). The stream stays open.</summary>
    public Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ModelWriter.SaveAsync(Proto, ExternalDataDirectory, stream, cancellationToken);
    }

    /// <summary>A fresh index over the main graph (producers, consumers, subgraphs). Rebuild it after changing <see cref="Proto"/> directly.</summary>
    public OnnxGraph GetGraph() => new(Proto.Graph ?? throw new InvalidOperationException("The model has no graph."));

    /// <summary>A tensor's bytes in raw_data layout, wherever they are stored (inline, typed fields or external file).</summary>
    public byte[] ReadTensorBytes(TensorProto tensor) => TensorData.ReadRawBytes(tensor, ExternalDataDirectory);

    /// <summary>Runs every graph check and returns all issues found (empty when the model is valid).</summary>
    public IReadOnlyList<ValidationIssue> Validate() => GraphValidator.Validate(Proto);

    private void ValidateOnLoad(string source, OnnxLoadOptions options)
    {
        if (!options.Validate)
        {
            return;
        }

        var issues = Validate();
        if (issues.Count > 0)
        {
            var more = issues.Count > 1 ? $" (and {issues.Count - 1} more issue{(issues.Count > 2 ? "s" : "")})" : "";
            throw new OnnxModelException($"'{source}' is not a valid ONNX model: {issues[0].Message}{more}.");
        }
    }

    private void AdoptFolderOf(string path)
    {
        if (ModelTensors.Enumerate(Proto).Any(ExternalData.IsExternal))
        {
            ExternalDataDirectory = Path.GetDirectoryName(Path.GetFullPath(path));
        }
    }
}
