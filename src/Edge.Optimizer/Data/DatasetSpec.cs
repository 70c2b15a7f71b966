using System.Globalization;

namespace Edge.Optimizer.Data;

/// <summary>
/// A parsed dataset argument: <c>kind:path[@from:to]</c>, for example <c>mnist:../shared/datasets/mnist@6000:10000</c>.
/// The range is half-open and counts samples in dataset order; either bound may be omitted (<c>@:100</c>, <c>@500:</c>).
/// </summary>
public sealed record DatasetSpec(DatasetKind Kind, string Path, int? From, int? To)
{
    private static readonly (string Prefix, DatasetKind Kind)[] Prefixes =
    [
        ("mnist:", DatasetKind.Mnist),
        ("images:", DatasetKind.Images),
        ("npy:", DatasetKind.Npy),
        ("testdata:", DatasetKind.TestData),
    ];

    /// <summary>The syntax, for error messages and help text.</summary>
    public const string Syntax = "mnist:<dir> | images:<dir> | npy:<file.npy|file.npz> | testdata:<dir>, optionally followed by @<from>:<to>";

    public static DatasetSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Prefixes.FirstOrDefault(p => text.StartsWith(p.Prefix, StringComparison.OrdinalIgnoreCase));
        if (match.Prefix is null)
        {
            throw new FormatException($"Dataset '{text}' has no known kind; expected {Syntax}.");
        }

        var rest = text[match.Prefix.Length..];
        int? from = null, to = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var range = rest[(at + 1)..];
            rest = rest[..at];
            var colon = range.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw new FormatException($"Dataset range '@{range}' in '{text}' must look like @<from>:<to>, for example @0:1000.");
            }

            from = ParseBound(range[..colon], "from", text);
            to = ParseBound(range[(colon + 1)..], "to", text);
            if (from is not null && to is not null && to < from)
            {
                throw new FormatException($"Dataset range in '{text}' ends ({to}) before it starts ({from}).");
            }
        }

        if (string.IsNullOrWhiteSpace(rest))
        {
            throw new FormatException($"Dataset '{text}' has no path; expected {Syntax}.");
        }

        return new DatasetSpec(match.Kind, rest, from, to);
    }

    /// <summary>Clamps the range to a dataset of <paramref name="count"/> samples and returns the first index and the length.</summary>
    public (int Start, int Length) Resolve(int count)
    {
        var start = From ?? 0;
        var end = To ?? count;
        if (start > count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Dataset range starts at {start} but '{Path}' has only {count} samples.");
        }

        end = Math.Min(end, count);
        return (start, end - start);
    }

    /// <summary>The same dataset with its path made absolute, relative paths taken from <paramref name="baseDirectory"/>.</summary>
    public DatasetSpec WithFullPath(string baseDirectory) => this with { Path = System.IO.Path.GetFullPath(Path, baseDirectory) };

    public override string ToString()
    {
        var prefix = Prefixes.First(p => p.Kind == Kind).Prefix;
        var range = From is null && To is null ? string.Empty : $"@{From}:{To}";
        return prefix + Path + range;
    }

    private static int? ParseBound(string value, string name, string text)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bound))
        {
            throw new FormatException($"Dataset range '{name}' bound '{value}' in '{text}' is not a non-negative integer.");
        }

        return bound;
    }
}
