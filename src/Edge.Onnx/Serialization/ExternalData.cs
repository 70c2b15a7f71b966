using System.Globalization;
using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Microsoft.Win32.SafeHandles;

namespace Edge.Onnx.Serialization;

/// <summary>
/// Reads and describes tensors stored outside the protobuf (data_location = EXTERNAL, keys location/offset/length).
/// Paths are relative to the model's folder; a path that leaves that folder is refused, because a model is
/// untrusted input and must not make us read arbitrary files.
/// </summary>
public static class ExternalData
{
    /// <summary>The <c>external_data</c> key of the file path, relative to the model's folder.</summary>
    public const string LocationKey = "location";

    /// <summary>The <c>external_data</c> key of the byte offset in that file (default 0).</summary>
    public const string OffsetKey = "offset";

    /// <summary>The <c>external_data</c> key of the byte length (default: to the end of the file).</summary>
    public const string LengthKey = "length";

    /// <summary>Whether the tensor's bytes are stored outside the protobuf (<c>data_location</c> EXTERNAL).</summary>
    /// <param name="tensor">The tensor.</param>
    public static bool IsExternal(TensorProto tensor) =>
        tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External;

    /// <summary>Resolves and checks a tensor's external location: key syntax, folder escape, file presence and bounds.</summary>
    public static ExternalDataLocation Resolve(TensorProto tensor, string? baseDirectory)
    {
        var name = tensor.Name;
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case LocationKey:
                    location = entry.Value;
                    break;
                case OffsetKey:
                    offset = ParseNumber(name, entry);
                    break;
                case LengthKey:
                    length = ParseNumber(name, entry);
                    break;
                default:
                    break; // "checksum" and future keys carry no layout information.
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            throw new OnnxModelException($"Tensor '{name}' is marked EXTERNAL but has no '{LocationKey}' entry; expected a path relative to the model's folder.");
        }

        if (baseDirectory is null)
        {
            throw new OnnxModelException(
                $"Tensor '{name}' keeps its data in external file '{location}', but the model was not loaded from a file; " +
                $"set {nameof(OnnxLoadOptions)}.{nameof(OnnxLoadOptions.ExternalDataDirectory)} to the folder that holds it.");
        }

        var fullPath = ResolvePath(name, location, baseDirectory);
        var info = new FileInfo(fullPath);
        if (!info.Exists)
        {
            throw new OnnxModelException($"External data file '{location}' of tensor '{name}' was not found at '{fullPath}'.");
        }

        var expected = TensorElementTypes.ByteCount(tensor.DataType, TensorData.ElementCount(tensor));
        var actualLength = length ?? (expected >= 0 ? expected : info.Length - offset);
        if (length is not null && expected >= 0 && length.Value != expected)
        {
            throw new OnnxModelException(
                $"Tensor '{name}' declares external length {length} bytes, but its shape and type need {expected} bytes.");
        }

        if (offset > info.Length || actualLength > info.Length - offset)
        {
            throw new OnnxModelException(
                $"Tensor '{name}' needs bytes {offset}..{offset + actualLength} of external file '{location}', which is only {info.Length} bytes long.");
        }

        return new ExternalDataLocation(location, fullPath, offset, actualLength);
    }

    /// <summary>Reads a tensor's external bytes into a new array (at most 2 GiB, the largest managed array).</summary>
    public static byte[] Read(TensorProto tensor, string? baseDirectory)
    {
        var location = Resolve(tensor, baseDirectory);
        if (location.Length > Array.MaxLength)
        {
            throw new OnnxModelException(
                $"Tensor '{tensor.Name}' holds {location.Length} bytes of external data, more than one array can hold ({Array.MaxLength}); stream it instead.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)location.Length);
        using var handle = File.OpenHandle(location.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        ReadExactly(handle, bytes, location);
        return bytes;
    }

    /// <summary>Copies a tensor's external bytes to <paramref name="destination"/> in 1 MiB pieces, never holding the whole tensor.</summary>
    public static async Task CopyToAsync(ExternalDataLocation location, Stream destination, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(location.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var buffer = new byte[(int)Math.Min(location.Length, 1 << 20)];
        for (long done = 0; done < location.Length;)
        {
            var want = (int)Math.Min(buffer.Length, location.Length - done);
            var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(0, want), location.Offset + done, cancellationToken);
            if (read == 0)
            {
                throw Truncated(location, done);
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
        }
    }

    /// <summary>Synchronous twin of <see cref="CopyToAsync"/> for <see cref="OnnxModel.Save"/>.</summary>
    public static void CopyTo(ExternalDataLocation location, Stream destination)
    {
        using var handle = File.OpenHandle(location.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = new byte[(int)Math.Min(location.Length, 1 << 20)];
        for (long done = 0; done < location.Length;)
        {
            var want = (int)Math.Min(buffer.Length, location.Length - done);
            var read = RandomAccess.Read(handle, buffer.AsSpan(0, want), location.Offset + done);
            if (read == 0)
            {
                throw Truncated(location, done);
            }

            destination.Write(buffer, 0, read);
            done += read;
        }
    }

    /// <summary>Points a tensor at external bytes, replacing any inline data.</summary>
    public static void SetLocation(TensorProto tensor, string relativePath, long offset, long length)
    {
        TensorData.ClearData(tensor);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = LocationKey, Value = relativePath });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = OffsetKey, Value = offset.ToString(CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = LengthKey, Value = length.ToString(CultureInfo.InvariantCulture) });
    }

    private static string ResolvePath(string tensorName, string location, string baseDirectory)
    {
        var root = Path.GetFullPath(baseDirectory);
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, location));
        if (Path.IsPathRooted(location) || !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new OnnxModelException(
                $"External data path '{location}' of tensor '{tensorName}' leaves the model's folder '{root}'; expected a relative path inside it.");
        }

        return full;
    }

    private static long ParseNumber(string tensorName, StringStringEntryProto entry)
    {
        if (!long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new OnnxModelException(
                $"Tensor '{tensorName}' has external-data '{entry.Key}' = '{entry.Value}'; expected a non-negative whole number of bytes.");
        }

        return value;
    }

    private static void ReadExactly(SafeFileHandle handle, byte[] bytes, ExternalDataLocation location)
    {
        for (var done = 0; done < bytes.Length;)
        {
            var read = RandomAccess.Read(handle, bytes.AsSpan(done), location.Offset + done);
            if (read == 0)
            {
                throw Truncated(location, done);
            }

            done += read;
        }
    }

    private static OnnxModelException Truncated(ExternalDataLocation location, long done) =>
        new($"External data file '{location.FullPath}' ended after {location.Offset + done} bytes; expected {location.Offset + location.Length}.");
}
