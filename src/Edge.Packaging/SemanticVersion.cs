using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Edge.Packaging;

/// <summary>
/// A Semantic Versioning 2.0.0 version (<c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>), parsed strictly:
/// no leading zeros in numeric parts, identifiers of <c>[0-9A-Za-z-]</c>, build metadata ignored for precedence.
/// Package versions, the minimum SDK version of a target and the agent's upgrade checks all compare with it.
/// </summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>
{
    private readonly string[] _prerelease;

    private SemanticVersion(ulong major, ulong minor, ulong patch, string[] prerelease, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _prerelease = prerelease;
        Text = text;
    }

    /// <summary>The major version.</summary>
    public ulong Major { get; }

    /// <summary>The minor version.</summary>
    public ulong Minor { get; }

    /// <summary>The patch version.</summary>
    public ulong Patch { get; }

    /// <summary>The text as parsed, build metadata included.</summary>
    public string Text { get; }

    /// <summary>Parses a SemVer 2.0.0 version strictly; never throws.</summary>
    /// <param name="text">The text, for example <c>1.4.0-rc.1+build.7</c>; null or empty fails.</param>
    /// <param name="version">The version when the text is valid; otherwise null.</param>
    /// <returns>Whether <paramref name="text"/> is a valid version.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var rest = text;
        var plus = rest.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!AreIdentifiers(rest[(plus + 1)..], numericLeadingZeroAllowed: true))
            {
                return false;
            }

            rest = rest[..plus];
        }

        string[] prerelease = [];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var pre = rest[(dash + 1)..];
            if (!AreIdentifiers(pre, numericLeadingZeroAllowed: false))
            {
                return false;
            }

            prerelease = pre.Split('.');
            rest = rest[..dash];
        }

        var core = rest.Split('.');
        if (core.Length != 3
            || !TryParseNumber(core[0], out var major)
            || !TryParseNumber(core[1], out var minor)
            || !TryParseNumber(core[2], out var patch))
        {
            return false;
        }

        version = new SemanticVersion(major, minor, patch, prerelease, text);
        return true;
    }

    /// <summary>SemVer precedence: numeric parts, then a pre-release sorts before its release, identifiers compared as the specification says; build metadata is ignored. Null sorts first.</summary>
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byCore = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byCore != 0)
        {
            return byCore;
        }

        // A version without pre-release identifiers ranks above any pre-release of the same core.
        if (_prerelease.Length == 0 || other._prerelease.Length == 0)
        {
            return other._prerelease.Length.CompareTo(_prerelease.Length) switch
            {
                0 => 0,
                var c => c,
            };
        }

        for (var i = 0; i < Math.Min(_prerelease.Length, other._prerelease.Length); i++)
        {
            var order = CompareIdentifier(_prerelease[i], other._prerelease[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return _prerelease.Length.CompareTo(other._prerelease.Length);
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    /// <summary>Whether <paramref name="obj"/> is a version of the same precedence (build metadata ignored: <c>1.0.0+a</c> equals <c>1.0.0+b</c>).</summary>
    public override bool Equals(object? obj) => obj is SemanticVersion other && CompareTo(other) == 0;

    /// <summary>A hash consistent with <see cref="Equals(object?)"/>: build metadata does not take part.</summary>
    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, string.Join('.', _prerelease));

    /// <summary>Same precedence; two nulls are equal.</summary>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different precedence.</summary>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    /// <summary><paramref name="left"/> precedes <paramref name="right"/>; null precedes every version.</summary>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    /// <summary><paramref name="left"/> precedes or equals <paramref name="right"/>.</summary>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    /// <summary><paramref name="left"/> follows <paramref name="right"/>.</summary>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    /// <summary><paramref name="left"/> follows or equals <paramref name="right"/>.</summary>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    private static int Compare(SemanticVersion? left, SemanticVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    private static int CompareIdentifier(string left, string right)
    {
        var leftNumeric = ulong.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var l);
        var rightNumeric = ulong.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var r);
        return (leftNumeric, rightNumeric) switch
        {
            (true, true) => l.CompareTo(r),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }

    private static bool TryParseNumber(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0 || (part.Length > 1 && part[0] == '0') || !part.All(char.IsAsciiDigit))
        {
            return false;
        }

        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool AreIdentifiers(string dotted, bool numericLeadingZeroAllowed)
    {
        foreach (var identifier in dotted.Split('.'))
        {
            if (identifier.Length == 0 || !identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }

            if (!numericLeadingZeroAllowed && identifier.Length > 1 && identifier[0] == '0' && identifier.All(char.IsAsciiDigit))
            {
                return false;
            }
        }

        return true;
    }
}
