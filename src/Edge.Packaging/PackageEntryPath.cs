namespace Edge.Packaging;

/// <summary>
/// Rules for archive paths. A safe path is relative, <c>/</c>-separated, at most 255 bytes, with segments that are
/// not empty, <c>.</c> or <c>..</c>, and has no backslash, colon, NUL or control character, so it cannot leave the
/// extraction directory on any operating system.
/// </summary>
internal static class PackageEntryPath
{
    public const int MaxLength = 255;

    /// <summary>Returns null when <paramref name="path"/> is safe, otherwise why it is not.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (path.Length > MaxLength)
        {
            return $"the path is {path.Length} characters long; the limit is {MaxLength}";
        }

        if (path[0] == '/')
        {
            return "the path is absolute";
        }

        if (path.Any(c => c is '\\' or ':' || char.IsControl(c)))
        {
            return "the path contains a backslash, colon or control character";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return segment == ".." ? "the path contains '..'" : "the path contains an empty or '.' segment";
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves a safe archive path under <paramref name="root"/> and checks, after normalization, that it stays there.
    /// </summary>
    public static string Resolve(string root, string path)
    {
        var rootFull = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(rootFull, path));
        var prefix = Path.EndsInDirectorySeparator(rootFull) ? rootFull : rootFull + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new PackageVerificationException(
                PackageFailureKind.UnsafeEntryPath,
                $"Package entry '{path}' resolves to '{full}', outside the extraction directory '{rootFull}'.",
                path);
        }

        return full;
    }
}
