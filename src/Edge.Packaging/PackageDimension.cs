using System.Globalization;
using System.Text.Json.Serialization;

namespace Edge.Packaging;

/// <summary>
/// One dimension of a tensor shape: a fixed size, or a symbolic name. In JSON a fixed size is a number
/// (<c>224</c>) and a symbolic one a string (<c>"N"</c>).
/// </summary>
[JsonConverter(typeof(PackageDimensionJsonConverter))]
public readonly record struct PackageDimension
{
    private PackageDimension(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null when the dimension is symbolic.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or null when the dimension is fixed.</summary>
    public string? Symbol { get; }

    /// <summary>A fixed dimension.</summary>
    /// <param name="size">Size, zero or more.</param>
    public static PackageDimension Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new PackageDimension(size, null);
    }

    /// <summary>A symbolic dimension such as <c>N</c> or <c>batch</c>.</summary>
    /// <param name="symbol">The name; not empty.</param>
    public static PackageDimension Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return new PackageDimension(null, symbol);
    }

    /// <inheritdoc />
    public override string ToString() => Size?.ToString(CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
