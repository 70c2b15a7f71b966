using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Edge.Agent.Tests.Ota.Support;
using Edge.Onnx.Protobuf;

namespace Edge.Agent.Tests.Inference;

/// <summary>Infer request bodies for mnist (input Input3 FP32 [1,1,28,28]) built from its real test digit.</summary>
internal static class MnistRequests
{
    public static float[] Digit()
    {
        var input = TensorProto.Parser.ParseFrom(File.ReadAllBytes(OtaModels.GoldenInputPath));
        return MemoryMarshal.Cast<byte, float>(input.RawData.Span).ToArray();
    }

    /// <summary>A request body; <paramref name="nested"/> writes data as 28 nested rows instead of flat.</summary>
    public static string Body(float[] pixels, string name = OtaModels.InputName, string datatype = "FP32", long[]? shape = null, bool nested = false, string? extra = null)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", "request-1");
            writer.WriteStartArray("inputs");
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("datatype", datatype);
            writer.WriteStartArray("shape");
            foreach (var dimension in shape ?? [1, 1, 28, 28])
            {
                writer.WriteNumberValue(dimension);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("data");
            for (var i = 0; i < pixels.Length; i++)
            {
                if (nested && i % 28 == 0)
                {
                    if (i > 0)
                    {
                        writer.WriteEndArray();
                    }

                    writer.WriteStartArray();
                }

                writer.WriteNumberValue(pixels[i]);
            }

            if (nested && pixels.Length > 0)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());
        return extra is null ? json : json[..^1] + "," + extra + "}";
    }

    /// <summary>The first output's data from an infer answer.</summary>
    public static float[] OutputData(JsonElement answer) =>
        [.. answer.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.GetSingle())];
}
