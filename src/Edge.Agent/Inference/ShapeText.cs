using System.Globalization;

namespace Edge.Agent.Inference;

/// <summary>Shapes in messages, written as the protocol writes them: <c>[1,1,28,28]</c>, -1 for a dynamic dimension.</summary>
internal static class ShapeText
{
    public static string Format(IEnumerable<long> shape) =>
        "[" + string.Join(",", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
