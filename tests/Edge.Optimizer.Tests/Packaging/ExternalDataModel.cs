using Edge.Onnx.Protobuf;
using Google.Protobuf;

namespace Edge.Optimizer.Tests.Packaging;

/// <summary>
/// Re-saves mnist.onnx with its largest initializer moved to an external-data file (<c>weights/mnist.bin</c>), and
/// its batch dimension renamed to the symbolic <c>N</c>, so packing must find the side file and keep the symbol.
/// </summary>
internal static class ExternalDataModel
{
    public const string DataLocation = "weights/mnist.bin";

    public static string Create(string sourceModel, string folder)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(sourceModel));
        var tensor = model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).MaxBy(t => Math.Max(t.RawData.Length, t.FloatData.Count * 4))
            ?? throw new InvalidOperationException($"'{sourceModel}' has no float initializer to move out.");

        // External data holds the raw little-endian bytes whether the tensor stored them as raw_data or float_data.
        var bytes = tensor.RawData.Length > 0 ? tensor.RawData.ToByteArray() : System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.FloatData.ToArray().AsSpan()).ToArray();
        Directory.CreateDirectory(Path.Combine(folder, "weights"));
        File.WriteAllBytes(Path.Combine(folder, DataLocation), bytes);
        tensor.FloatData.Clear();
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = DataLocation });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.RawData = ByteString.Empty;
        var batch = model.Graph.Input[0].Type.TensorType.Shape.Dim[0];
        batch.DimParam = "N";
        var path = Path.Combine(folder, "mnist_external.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }
}
