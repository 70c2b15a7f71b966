using System.Text.Json;
using Edge.Sdk.Inference;

namespace Edge.Agent.Inference;

/// <summary>
/// Reads an Open Inference Protocol infer request body (<c>{"id", "inputs": [{"name", "shape", "datatype", "data"}],
/// "outputs": [{"name"}]}</c>) and checks every input against the model before anything is allocated for it: name,
/// data type, rank, fixed dimensions and element count (checked arithmetic). Every refusal names the input, what the
/// model expects and what came.
/// </summary>
internal static class InferRequestReader
{
    /// <summary>Nested <c>data</c> arrays plus the request's own levels; deeper JSON is refused by the parser.</summary>
    public const int MaxJsonDepth = 40;

    public static InferRequest Read(JsonElement root, EdgeSession session)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceProtocolException($"the request body must be a JSON object; got {root.ValueKind}.");
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException("the request needs an 'inputs' array.");
        }

        var parsed = new List<InputTensor>();
        foreach (var input in inputs.EnumerateArray())
        {
            var tensor = ReadInput(input, session);
            if (parsed.Any(p => p.Name == tensor.Name))
            {
                throw new InferenceProtocolException($"input '{tensor.Name}' is given twice.");
            }

            parsed.Add(tensor);
        }

        foreach (var expected in session.Inputs)
        {
            if (!parsed.Any(p => p.Name == expected.Name))
            {
                throw new InferenceProtocolException($"input '{expected.Name}' ({Describe(expected)}) is missing.");
            }
        }

        return new InferRequest(parsed, ReadOutputs(root, session), ReadId(root));
    }

    /// <summary>The model's tensor as metadata writes it, for messages: <c>FP32 [1,1,28,28]</c>.</summary>
    public static string Describe(TensorInfo info) => $"{TensorDataType.NameOf(info.ElementType)} {ShapeText.Format(info.Dimensions)}";

    private static InputTensor ReadInput(JsonElement input, EdgeSession session)
    {
        if (input.ValueKind != JsonValueKind.Object || !input.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw new InferenceProtocolException("each entry of 'inputs' must be an object with a string 'name'.");
        }

        var name = nameElement.GetString()!;
        var info = session.Inputs.FirstOrDefault(i => i.Name == name)
            ?? throw new InferenceProtocolException($"unknown input '{Clip(name)}'; the model's inputs are {string.Join(", ", session.Inputs.Select(i => $"'{i.Name}' {Describe(i)}"))}.");
        var expected = TensorDataType.FromElementType(info.ElementType)
            ?? throw new InferenceProtocolException($"input '{name}' is {Describe(info)}, which this endpoint cannot carry in JSON.");

        if (!input.TryGetProperty("datatype", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new InferenceProtocolException($"input '{name}' needs a string 'datatype' ({expected.Name}).");
        }

        var datatype = typeElement.GetString()!;
        if (datatype != expected.Name)
        {
            throw new InferenceProtocolException($"input '{name}': wrong datatype, expected {expected.Name}, got '{Clip(datatype)}'.");
        }

        var shape = ReadShape(input, name);
        CheckShape(info, shape);
        var count = ElementCount(name, shape);
        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException($"input '{name}' needs a 'data' array of {count} elements (flat or nested).");
        }

        return expected.ReadInput(name, shape, count, data);
    }

    private static long[] ReadShape(JsonElement input, string name)
    {
        if (!input.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException($"input '{name}' needs a 'shape' array of dimensions.");
        }

        var shape = new List<long>();
        foreach (var dimension in shapeElement.EnumerateArray())
        {
            if (!dimension.TryGetInt64(out var size) || size < 0)
            {
                throw new InferenceProtocolException($"input '{name}': shape {Clip(shapeElement.GetRawText())} must hold non-negative integers.");
            }

            if (shape.Count == 32)
            {
                throw new InferenceProtocolException($"input '{name}': shape has more than 32 dimensions.");
            }

            shape.Add(size);
        }

        return [.. shape];
    }

    private static void CheckShape(TensorInfo info, long[] shape)
    {
        var dimensions = info.Dimensions;
        var matches = shape.Length == dimensions.Count;
        for (var i = 0; matches && i < shape.Length; i++)
        {
            matches = dimensions[i] < 0 ? shape[i] > 0 : shape[i] == dimensions[i];
        }

        if (!matches)
        {
            throw new InferenceProtocolException($"input '{info.Name}': wrong shape, expected {ShapeText.Format(dimensions)} (-1: any positive size), got {ShapeText.Format(shape)}.");
        }
    }

    /// <summary>The product of the dimensions, refused when it overflows or exceeds what one array can hold.</summary>
    private static int ElementCount(string name, long[] shape)
    {
        long count = 1;
        try
        {
            foreach (var dimension in shape)
            {
                count = checked(count * dimension);
            }
        }
        catch (OverflowException)
        {
            throw new InferenceProtocolException($"input '{name}': shape {ShapeText.Format(shape)} has more elements than a 64-bit count holds.");
        }

        return count <= Array.MaxLength
            ? (int)count
            : throw new InferenceProtocolException($"input '{name}': shape {ShapeText.Format(shape)} has {count} elements, more than {Array.MaxLength}.");
    }

    private static List<string>? ReadOutputs(JsonElement root, EdgeSession session)
    {
        if (!root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw new InferenceProtocolException("'outputs' must be an array of {\"name\": ...} objects.");
        }

        var names = new List<string>();
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object || !output.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new InferenceProtocolException("each entry of 'outputs' must be an object with a string 'name'.");
            }

            var text = name.GetString()!;
            if (!session.Outputs.Any(o => o.Name == text))
            {
                throw new InferenceProtocolException($"unknown output '{Clip(text)}'; the model's outputs are {string.Join(", ", session.Outputs.Select(o => $"'{o.Name}'"))}.");
            }

            if (!names.Contains(text))
            {
                names.Add(text);
            }
        }

        return names;
    }

    private static string? ReadId(JsonElement root) =>
        root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>Caller text echoed in a message is cut short, so a hostile name cannot make the answer huge.</summary>
    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
