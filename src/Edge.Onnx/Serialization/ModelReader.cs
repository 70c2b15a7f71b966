using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Onnx.Serialization;

/// <summary>
/// Parses untrusted bytes into a <see cref="ModelProto"/> with size and recursion limits, and turns every way that
/// can fail into one <see cref="OnnxModelException"/> line that names the source and what was expected.
/// </summary>
public static class ModelReader
{
    /// <summary>Opens, checks and parses a model file, then checks its external-data references.</summary>
    public static ModelProto ReadFile(string path, OnnxLoadOptions options)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new OnnxModelException($"'{path}' is a directory, not an ONNX model file; expected a .onnx file.");
        }

        if (!File.Exists(fullPath))
        {
            throw new OnnxModelException($"ONNX model file '{path}' was not found (looked at '{fullPath}').");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException($"ONNX model file '{path}' could not be opened: {e.Message}", e);
        }

        using (stream)
        {
            var model = Parse(stream, stream.Length, path, options);
            CheckExternalData(model, Path.GetDirectoryName(fullPath), path);
            return model;
        }
    }

    /// <summary>Parses a model from a stream that holds exactly <paramref name="length"/> bytes.</summary>
    public static ModelProto Parse(Stream stream, long length, string source, OnnxLoadOptions options)
    {
        if (length == 0)
        {
            throw new OnnxModelException($"'{source}' is empty (0 bytes); expected an ONNX model (a protobuf ModelProto).");
        }

        if (length > options.MaxModelBytes)
        {
            throw new OnnxModelException(
                $"'{source}' is {length} bytes, more than the {options.MaxModelBytes}-byte limit for the protobuf part of a model; " +
                "models over 2 GiB must keep their weights as external data.");
        }

        // Google.Protobuf keeps only the low 32 bits of a length prefix; check every length first (seekable streams).
        if (stream.CanSeek)
        {
            WireLengthCheck.Run(stream, length, ModelProto.Descriptor, source, options.RecursionLimit);
        }

        var input = CodedInputStream.CreateWithLimits(stream, (int)length, options.RecursionLimit);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxModelException(
                $"'{source}' is not an ONNX model: protobuf parse failed at byte {input.Position} of {length}: {FirstSentence(e.Message)}", e);
        }

        CheckIsModel(model, source);
        return model;
    }

    /// <summary>Refuses a message that parsed as protobuf but is not a model (random bytes often parse as unknown fields).</summary>
    public static void CheckIsModel(ModelProto model, string source)
    {
        if (model.Graph is null)
        {
            throw new OnnxModelException(
                $"'{source}' is not an ONNX model: it parsed as protobuf but has no graph (expected ModelProto field 7, 'graph').");
        }

        if (!model.HasIrVersion || model.IrVersion < 1)
        {
            var actual = model.HasIrVersion ? model.IrVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) : "missing";
            throw new OnnxModelException($"'{source}' is not a valid ONNX model: ir_version is {actual}; expected 1 or more.");
        }
    }

    /// <summary>Checks that every external tensor points inside the model's folder at bytes that exist.</summary>
    public static void CheckExternalData(ModelProto model, string? baseDirectory, string source)
    {
        foreach (var tensor in ModelTensors.Enumerate(model))
        {
            if (ExternalData.IsExternal(tensor))
            {
                try
                {
                    ExternalData.Resolve(tensor, baseDirectory);
                }
                catch (OnnxModelException e)
                {
                    throw new OnnxModelException($"'{source}': {e.Message}", e);
                }
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }
}
