using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Onnx.Serialization;

/// <summary>
/// Writes a model and its external data. Files are written beside the target under temporary names and moved into
/// place only when complete, so a failed save leaves the previous files as they were.
/// </summary>
internal static class ModelWriter
{
    public static void Save(ModelProto model, string? sourceDirectory, string path, OnnxSaveOptions options)
    {
        var (plan, dataPath) = Prepare(model, sourceDirectory, path, options);
        var temporaryModel = TemporaryName(path);
        var temporaryData = dataPath is null ? null : TemporaryName(dataPath);
        try
        {
            if (temporaryData is not null)
            {
                using var data = new FileStream(temporaryData, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                foreach (var piece in plan.Pieces)
                {
                    if (piece.Source is { } source)
                    {
                        ExternalData.CopyTo(source, data);
                    }
                    else
                    {
                        data.Write(piece.Bytes);
                    }
                }
            }

            using (var output = new FileStream(temporaryModel, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteProto(plan.Copy, output, path);
            }

            MoveIntoPlace(temporaryModel, path, temporaryData, dataPath);
        }
        catch
        {
            DeleteQuietly(temporaryModel);
            DeleteQuietly(temporaryData);
            throw;
        }

        plan.Commit();
    }

    public static async Task SaveAsync(ModelProto model, string? sourceDirectory, string path, OnnxSaveOptions options, CancellationToken cancellationToken)
    {
        var (plan, dataPath) = Prepare(model, sourceDirectory, path, options);
        var temporaryModel = TemporaryName(path);
        var temporaryData = dataPath is null ? null : TemporaryName(dataPath);
        try
        {
            if (temporaryData is not null)
            {
                await using var data = new FileStream(temporaryData, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                foreach (var piece in plan.Pieces)
                {
                    if (piece.Source is { } source)
                    {
                        await ExternalData.CopyToAsync(source, data, cancellationToken);
                    }
                    else
                    {
                        await data.WriteAsync(piece.Bytes, cancellationToken);
                    }
                }
            }

            await using (var output = new FileStream(temporaryModel, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                // The protobuf part is at most 2 GiB; serialising it to memory first keeps the file write asynchronous.
                await output.WriteAsync(ToBytes(plan.Copy, path), cancellationToken);
            }

            MoveIntoPlace(temporaryModel, path, temporaryData, dataPath);
        }
        catch
        {
            DeleteQuietly(temporaryModel);
            DeleteQuietly(temporaryData);
            throw;
        }

        plan.Commit();
    }

    /// <summary>Writes the model to a stream with every tensor inline; the caller's model is not changed.</summary>
    public static async Task SaveAsync(ModelProto model, string? sourceDirectory, Stream stream, CancellationToken cancellationToken)
    {
        var plan = SavePlan.Create(model, sourceDirectory, OnnxSaveOptions.Default, inlineEverything: true);
        await stream.WriteAsync(ToBytes(plan.Copy, "stream"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static (SavePlan Plan, string? DataPath) Prepare(ModelProto model, string? sourceDirectory, string path, OnnxSaveOptions options)
    {
        options.EnsureValid();
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException($"Cannot save the model to '{path}': it is a directory; expected a file path.", nameof(path));
        }

        var folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot save the model to '{path}': folder '{folder}' does not exist.");
        }

        var plan = SavePlan.Create(model, sourceDirectory, options, inlineEverything: false);
        if (plan.Pieces.Count == 0)
        {
            return (plan, null);
        }

        var dataName = options.ExternalDataFileName ?? Path.GetFileName(fullPath) + ".data";
        var dataPath = Path.Combine(folder, dataName);
        if (string.Equals(dataPath, fullPath, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The external-data file name '{dataName}' is the model's own file name; choose another.", nameof(options));
        }

        plan.AssignOffsets(dataName);
        return (plan, dataPath);
    }

    private static void WriteProto(ModelProto copy, Stream output, string path)
    {
        EnsureFits(copy, path);
        copy.WriteTo(output);
    }

    private static byte[] ToBytes(ModelProto copy, string path)
    {
        EnsureFits(copy, path);
        return copy.ToByteArray();
    }

    private static void EnsureFits(ModelProto copy, string path)
    {
        long size;
        try
        {
            size = copy.CalculateSize();
        }
        catch (OverflowException e)
        {
            throw new OnnxModelException($"Cannot save '{path}': the protobuf part would exceed 2 GiB; save with an external-data threshold.", e);
        }

        if (size < 0)
        {
            throw new OnnxModelException($"Cannot save '{path}': the protobuf part would exceed 2 GiB; save with an external-data threshold.");
        }
    }

    private static void MoveIntoPlace(string temporaryModel, string path, string? temporaryData, string? dataPath)
    {
        if (temporaryData is not null && dataPath is not null)
        {
            File.Move(temporaryData, dataPath, overwrite: true);
        }

        File.Move(temporaryModel, path, overwrite: true);
    }

    private static string TemporaryName(string path) =>
        $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";

    private static void DeleteQuietly(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
