using System.Text.Json;
using Edge.Sdk.Inference;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Agent.Inference;

/// <summary>A <see cref="TensorDataType"/> whose elements are <typeparamref name="T"/>.</summary>
internal sealed class TypedTensorDataType<T> : TensorDataType
    where T : unmanaged
{
    private readonly ElementReader _read;
    private readonly Action<Utf8JsonWriter, T> _write;

    public TypedTensorDataType(string name, TensorElementType elementType, ElementReader read, Action<Utf8JsonWriter, T> write)
        : base(name, elementType)
    {
        _read = read;
        _write = write;
    }

    public delegate bool ElementReader(JsonElement element, out T value);

    public override InputTensor ReadInput(string name, long[] shape, int count, JsonElement data)
    {
        var values = new T[count];
        var written = 0;
        Flatten(name, data, values, ref written);
        if (written != count)
        {
            throw new InferenceProtocolException($"input '{name}': shape {ShapeText.Format(shape)} needs {count} elements, got {written}.");
        }

        return new TypedInputTensor<T>(name, shape, values);
    }

    public override void WriteOutput(Utf8JsonWriter writer, InferenceRequest request, string name)
    {
        writer.WriteStartArray();
        foreach (var value in request.GetOutput<T>(name))
        {
            _write(writer, value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Nested arrays are read depth first, which is row-major order; the JSON depth limit bounds the recursion.</summary>
    private void Flatten(string name, JsonElement element, T[] values, ref int written)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Flatten(name, item, values, ref written);
            }

            return;
        }

        if (written >= values.Length)
        {
            // Counted, not stored: the message says how many elements came.
            written++;
            return;
        }

        bool valid;
        try
        {
            valid = _read(element, out values[written]);
        }
        catch (InvalidOperationException)
        {
            // A string, object or literal where a number belongs: JsonElement's TryGet methods throw for those.
            valid = false;
        }

        if (!valid)
        {
            throw new InferenceProtocolException($"input '{name}': element {written} ({Describe(element)}) is not a valid {Name}.");
        }

        written++;
    }

    private static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 32 ? text : text[..32] + "...";
    }
}
